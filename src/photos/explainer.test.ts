import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClassMix } from '../cam/cam';
import type { CamMethod, ExplainedMap, MixMap } from '../cam/types';
import { useAppStore } from '../store';
import type { PhotoResult } from '../store/photos';
import type { InferenceClient } from '../worker/client';
import { Explainer } from './explainer';

function map(classIndex: number, method: CamMethod): ExplainedMap {
  return { classIndex, method, width: 7, height: 7, data: new Float32Array(49) } as ExplainedMap;
}

function photo(id: string, cam: ExplainedMap): PhotoResult {
  return { id, name: `${id}.jpg`, thumbnailUrl: null, width: 10, height: 10, crop: null, state: 'done', modelId: 'resnet50', top: [], probs: null, groups: null, cam, error: null, notes: [] };
}

/** A worker client that records explain requests (and mixes, as class −1) and answers them when the test says. */
function fakeClient() {
  const requests: { key: string; classIndex: number; method: CamMethod; mix?: ClassMix; answer(): void; fail(message: string): void }[] = [];
  const client = {
    explain: (key: string, classIndex: number, method: CamMethod) =>
      new Promise<ExplainedMap>((resolve, reject) => {
        requests.push({ key, classIndex, method, answer: () => resolve(map(classIndex, method)), fail: (m) => reject(new Error(m)) });
      }),
    explainMix: (key: string, mix: ClassMix, method: CamMethod) =>
      new Promise<MixMap>((resolve, reject) => {
        requests.push({ key, classIndex: -1, method, mix, answer: () => resolve({ method, width: 7, height: 7, data: new Float32Array(49) }), fail: (m) => reject(new Error(m)) });
      }),
  };
  return { requests, session: { client: client as unknown as InferenceClient } };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Explainer', () => {
  beforeEach(() => {
    useAppStore.setState(useAppStore.getInitialState(), true);
  });

  it('sends exactly one request when the method changes, for the photo on screen, and shows its map', async () => {
    const { requests, session } = fakeClient();
    const explainer = new Explainer(session);
    const stop = explainer.followMethod();
    useAppStore.getState().addPhotos([photo('a', map(263, 'cam')), photo('b', map(281, 'cam'))]);
    useAppStore.getState().select('a');
    useAppStore.getState().updateSettings({ camMethod: 'gradcam' });
    expect(requests.map((r) => [r.key, r.classIndex, r.method])).toEqual([['a', 263, 'gradcam']]);
    requests[0].answer();
    await flush();
    expect(useAppStore.getState().photos[0].cam?.method).toBe('gradcam');
    // Showing the other photo re-explains it in the chosen method, once.
    useAppStore.getState().select('b');
    useAppStore.getState().select('b');
    expect(requests.map((r) => [r.key, r.method])).toEqual([['a', 'gradcam'], ['b', 'gradcam']]);
    stop();
  });

  it('a map that comes back after the method was changed again is not shown: the method asked for now is', async () => {
    const { requests, session } = fakeClient();
    const explainer = new Explainer(session);
    const stop = explainer.followMethod();
    useAppStore.getState().addPhotos([photo('a', map(263, 'cam')), photo('b', map(281, 'cam'))]);
    useAppStore.getState().updateSettings({ camMethod: 'gradcam' });
    requests[0].answer();
    await flush();
    // Showing b asks for its Grad-CAM; the user switches back to CAM before it arrives.
    useAppStore.getState().select('b');
    useAppStore.getState().updateSettings({ camMethod: 'cam' });
    requests[1].answer();
    await flush();
    // b still shows its CAM map: the late Grad-CAM map is dropped, nothing more is asked.
    expect(useAppStore.getState().photos[1].cam?.method).toBe('cam');
    expect(requests).toHaveLength(2);
    // a's Grad-CAM map is on screen; asking for its CAM and then Grad-CAM again before the answer shows Grad-CAM.
    useAppStore.getState().select('a');
    expect(requests.map((r) => [r.key, r.method])).toEqual([
      ['a', 'gradcam'],
      ['b', 'gradcam'],
      ['a', 'cam'],
    ]);
    useAppStore.getState().updateSettings({ camMethod: 'gradcam' });
    requests[2].answer();
    await flush();
    expect(useAppStore.getState().photos[0].cam?.method).toBe('gradcam');
    expect(requests).toHaveLength(3);
    stop();
  });

  it('does not send the same request twice while it is on its way', () => {
    const { requests, session } = fakeClient();
    const explainer = new Explainer(session);
    useAppStore.getState().addPhotos([photo('a', map(263, 'cam'))]);
    void explainer.explain('a', 264);
    void explainer.explain('a', 264);
    expect(requests).toHaveLength(1);
  });

  it('on failure says why and puts the method selector back to the map on screen', async () => {
    const { requests, session } = fakeClient();
    const explainer = new Explainer(session);
    const stop = explainer.followMethod();
    useAppStore.getState().addPhotos([photo('a', map(263, 'cam'))]);
    useAppStore.getState().updateSettings({ camMethod: 'gradcam' });
    requests[0].fail('Grad-CAM needs the model’s gradients');
    await flush();
    expect(useAppStore.getState().camMethod).toBe('cam');
    expect(useAppStore.getState().notices.at(-1)?.message).toMatch(/gradients/);
    expect(requests).toHaveLength(1);
    stop();
  });

  it("a group's map: its classes weighted by their share, labelled with the group, and it follows the method", async () => {
    const { requests, session } = fakeClient();
    const explainer = new Explainer(session);
    const stop = explainer.followMethod();
    const probs = new Float32Array(1000);
    probs[263] = 0.6; // Pembroke
    probs[264] = 0.3; // Cardigan
    probs[281] = 0.1; // tabby: not a dog
    useAppStore.getState().addPhotos([{ ...photo('a', map(263, 'cam')), probs }]);
    void explainer.explainGroup('a', 'n02084071');
    await vi.waitFor(() => expect(requests).toHaveLength(1)); // once the hierarchy is loaded
    expect(requests[0].key).toBe('a');
    expect(requests[0].mix?.map((m) => [m.classIndex, Number(m.weight.toFixed(4))])).toEqual([
      [263, 0.6667],
      [264, 0.3333],
    ]);
    requests[0].answer();
    await flush();
    const cam = useAppStore.getState().photos[0].cam;
    expect(cam?.group).toMatchObject({ wnid: 'n02084071', label: 'dog' });
    expect(cam?.group?.prob).toBeCloseTo(0.9, 6);
    expect(cam?.classIndex).toBe(263);
    // Another method: the group's map again, not its top class's.
    useAppStore.getState().updateSettings({ camMethod: 'gradcam' });
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1]).toMatchObject({ classIndex: -1, method: 'gradcam' });
    stop();
  });
});
