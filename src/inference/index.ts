/** The app's one inference worker and model session (main thread side). */
import { ModelSession } from './model-session';
import { WorkerHost } from './worker-host';

export const workerHost = new WorkerHost();
export const modelSession = new ModelSession(workerHost);
