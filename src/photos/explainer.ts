/**
 * Explaining a photo's classes: another class's heatmap, or the other method's, is computed from the
 * feature map the worker kept — no new inference. The method selector is a setting; the photo shown
 * follows it with exactly one request per change.
 */
import type { CamMethod } from '../cam/types';
import { errorMessage } from '../errors';
import type { ModelSession } from '../inference/model-session';
import { selectSelectedPhoto, useAppStore } from '../store';

type Store = typeof useAppStore;

export class Explainer {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly session: Pick<ModelSession, 'client'>,
    private readonly store: Store = useAppStore,
  ) {}

  /** Shows `classIndex`'s heatmap for a photo. A request already on its way is not sent twice. */
  async explain(id: string, classIndex: number, method: CamMethod = this.store.getState().camMethod): Promise<void> {
    const key = `${id}\n${classIndex}\n${method}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const cam = await this.session.client.explain(id, classIndex, method);
      const wanted = this.store.getState().camMethod;
      if (method !== wanted) {
        // The method was changed while this map was computed: the map shown must be the one now asked for.
        const shown = this.store.getState().photos.find((p) => p.id === id)?.cam;
        if (shown?.classIndex !== classIndex || shown.method !== wanted) void this.explain(id, classIndex, wanted);
        return;
      }
      this.store.getState().updatePhoto(id, { cam });
    } catch (error) {
      this.store.getState().notify('error', errorMessage(error));
      // Keep the method selector truthful: it shows the method of the map on screen.
      const shown = this.store.getState().photos.find((p) => p.id === id)?.cam?.method;
      if (shown && shown !== method) this.store.getState().updateSettings({ camMethod: shown });
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Re-explains the photo on screen when the method changes or another photo is shown; returns the unsubscribe. */
  followMethod(): () => void {
    return this.store.subscribe((state, previous) => {
      if (state.camMethod === previous.camMethod && state.selectedId === previous.selectedId) return;
      const photo = selectSelectedPhoto(state);
      if (photo?.cam && photo.cam.method !== state.camMethod) void this.explain(photo.id, photo.cam.classIndex, state.camMethod);
    });
  }
}
