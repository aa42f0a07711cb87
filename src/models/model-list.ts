/**
 * The models the user can choose: this deployment's (built in or from its catalog) first, then the
 * user's own imported ones. A user model whose id a deployment model already has is left out.
 */
import type { ModelSpec } from './registry';

export function mergeModels(deployment: readonly ModelSpec[], user: readonly ModelSpec[]): readonly ModelSpec[] {
  const ids = new Set(deployment.map((model) => model.id));
  return [...deployment, ...user.filter((model) => !ids.has(model.id))];
}
