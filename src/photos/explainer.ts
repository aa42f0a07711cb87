/**
 * Explaining a photo's classes: another class's heatmap, a class group's, or the other method's, is
 * computed from the feature map the worker kept — no new inference. The method selector is a setting;
 * the photo shown follows it with exactly one request per change.
 */
import type { CamMethod, ExplainedMap } from '../cam/types';
import { errorMessage } from '../errors';
import { groupRequest } from '../hierarchy/photo-groups';
import type { ModelSession } from '../inference/model-session';
import { selectSelectedPhoto, useAppStore } from '../store';

type Store = typeof useAppStore;

/** What a map explains: one class, or a class group (WordNet id). */
type Target = { classIndex: number } | { group: string };

const targetOf = (cam: ExplainedMap): Target => (cam.group ? { group: cam.group.wnid } : { classIndex: cam.classIndex });
const sameTarget = (cam: ExplainedMap | null | undefined, target: Target): boolean =>
  !!cam && ('group' in target ? cam.group?.wnid === target.group : !cam.group && cam.classIndex === target.classIndex);

export class Explainer {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly session: Pick<ModelSession, 'client'>,
    private readonly store: Store = useAppStore,
  ) {}

  /** Shows `classIndex`'s heatmap for a photo. A request already on its way is not sent twice. */
  explain(id: string, classIndex: number, method: CamMethod = this.store.getState().camMethod): Promise<void> {
    return this.show(id, { classIndex }, method);
  }

  /** Shows the heatmap of a class group (its classes weighted by their share of the group's probability). */
  explainGroup(id: string, wnid: string, method: CamMethod = this.store.getState().camMethod): Promise<void> {
    return this.show(id, { group: wnid }, method);
  }

  private async map(id: string, target: Target, method: CamMethod): Promise<ExplainedMap> {
    if ('classIndex' in target) return this.session.client.explain(id, target.classIndex, method);
    const photo = this.store.getState().photos.find((p) => p.id === id);
    if (!photo) throw new Error('This photo was removed');
    const { mix, group, topClass } = await groupRequest(target.group, photo);
    const map = await this.session.client.explainMix(id, mix, method);
    return { classIndex: topClass, method, width: map.width, height: map.height, data: map.data, group };
  }

  private async show(id: string, target: Target, method: CamMethod): Promise<void> {
    const key = `${id}\n${'group' in target ? target.group : target.classIndex}\n${method}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const cam = await this.map(id, target, method);
      const wanted = this.store.getState().camMethod;
      if (method !== wanted) {
        // The method was changed while this map was computed: the map shown must be the one now asked for.
        const shown = this.store.getState().photos.find((p) => p.id === id)?.cam;
        if (!sameTarget(shown, target) || shown?.method !== wanted) void this.show(id, target, wanted);
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
      if (photo?.cam && photo.cam.method !== state.camMethod) void this.show(photo.id, targetOf(photo.cam), state.camMethod);
    });
  }
}
