/** "Why A and not B" for a photo: the signed map of A − B from its kept feature map (no new forward pass). */
import type { CamMethod, MixMap } from '../cam/types';
import { contrastMix } from '../explain/contrast';
import { modelSession } from '../inference';

export function contrastMap(photoId: string, a: number, b: number, method: CamMethod): Promise<MixMap> {
  return modelSession.client.explainMix(photoId, contrastMix(a, b), method);
}
