/** The app's photo queue, explainer and faithfulness checker, bound to the one model session. */
import { modelSession } from '../inference';
import { Explainer } from './explainer';
import { FaithfulnessChecker } from './faithfulness';
import { PhotoQueue } from './photo-queue';

export const photoQueue = new PhotoQueue(modelSession);
export const explainer = new Explainer(modelSession);
export const faithfulnessChecker = new FaithfulnessChecker(modelSession);
