/** The app's photo queue and explainer, bound to the one model session. */
import { modelSession } from '../inference';
import { Explainer } from './explainer';
import { PhotoQueue } from './photo-queue';

export const photoQueue = new PhotoQueue(modelSession);
export const explainer = new Explainer(modelSession);
