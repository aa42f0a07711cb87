/**
 * Copies of a provisioned model folder with chosen files dropped or replaced, for testing how loading
 * copes with damaged downloads. Untouched files are symlinks, so a variant costs no disk space.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelDir } from './model-files';

export interface VariantChanges {
  /** File names to leave out (e.g. `SHA256SUMS`). */
  drop?: string[];
  /** File name → new contents. */
  replace?: Record<string, Uint8Array | string>;
}

export class ModelVariants {
  readonly root = mkdtempSync(join(tmpdir(), 'model-variants-'));

  /** Creates `<root>/<name>/` from public/models/<id>/ with the changes; returns the folder name. */
  make(name: string, id: string, changes: VariantChanges = {}): string {
    const source = modelDir(id);
    const target = join(this.root, name);
    mkdirSync(target);
    for (const file of readdirSync(source)) {
      if (file.startsWith('.') || changes.drop?.includes(file)) continue;
      const replacement = changes.replace?.[file];
      if (replacement !== undefined) writeFileSync(join(target, file), replacement);
      else symlinkSync(join(source, file), join(target, file));
    }
    return name;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
