/**
 * Owns the one inference worker: starts it, replaces it, and decides whether a crashed worker may be
 * started again (not when it keeps crashing). Everything that talks to the worker asks this for the
 * client in use, so a restart is seen by all of them.
 */
import { InferenceClient, type WorkerCrashedError } from '../worker/client';

/** More crashes than this within the window and the worker is left stopped. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 60_000;

export type CrashHandler = (error: WorkerCrashedError, restartable: boolean) => void;

export class WorkerHost {
  private current: InferenceClient | null = null;
  private readonly crashTimes: number[] = [];

  constructor(
    private readonly spawn: (onCrash: (error: WorkerCrashedError) => void) => InferenceClient = (onCrash) => new InferenceClient(onCrash),
    private readonly now: () => number = Date.now,
  ) {}

  /** Stops the worker in use (if any) and starts a fresh one. */
  restart(onCrash: CrashHandler): InferenceClient {
    this.current?.terminate();
    const client = this.spawn((error) => {
      if (this.current === client) onCrash(error, this.crashAllowsRestart());
    });
    this.current = client;
    return client;
  }

  /** The worker in use. */
  get client(): InferenceClient {
    if (!this.current) throw new Error('The inference worker has not started');
    return this.current;
  }

  get started(): boolean {
    return this.current !== null;
  }

  private crashAllowsRestart(): boolean {
    const now = this.now();
    this.crashTimes.push(now);
    while (this.crashTimes.length > 0 && now - this.crashTimes[0] > CRASH_WINDOW_MS) this.crashTimes.shift();
    return this.crashTimes.length <= MAX_CRASHES;
  }
}
