/**
 * The build step of the benchmark and the soak: the production app (with its `_headers`, models and
 * service worker) into bench-results/app-dist/, and for the benchmark the main-thread peer page
 * (bench/peer/) into bench-results/peer-dist/.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OUT, ROOT } from './harness.mjs';

export const APP_DIST = join(OUT, 'app-dist');
export const PEER_DIST = join(OUT, 'peer-dist');

function vite(args) {
  return new Promise((ok, fail) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/vite'), [...args, '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok() : fail(new Error(`vite ${args.join(' ')} exited with ${code}\n${output.slice(-4000)}`))));
  });
}

/**
 * Builds (unless `build` is false: then the last build is reused) and checks that the builds exist
 * and hold the models the run needs.
 */
export async function prepareBuilds({ build, peer, models, log }) {
  const builds = [[APP_DIST, 'the app', []], ...(peer ? [[PEER_DIST, 'the peer page (bench/peer)', ['--config', join(ROOT, 'bench/peer/vite.config.ts')]]] : [])];
  if (build) {
    for (const id of models) {
      if (!existsSync(join(ROOT, 'public/models', id, 'model.json'))) throw new Error(`public/models/${id}/model.json is missing: run \`npm run models\` first`);
    }
    for (const [dir, what, config] of builds) {
      log(`building ${what} → ${relative(ROOT, dir)}`);
      await vite(['build', ...config, '--outDir', dir, '--emptyOutDir']);
    }
  } else {
    log(`--no-build: reusing ${builds.map(([dir]) => relative(ROOT, dir)).join(' and ')}`);
  }
  for (const [dir, what] of builds) {
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`no build of ${what} in ${relative(ROOT, dir)}: run without --no-build`);
  }
  if (!existsSync(join(APP_DIST, '_headers'))) throw new Error(`${relative(ROOT, APP_DIST)} has no _headers: rebuild (without --no-build)`);
  for (const id of models) {
    if (!existsSync(join(APP_DIST, 'models', id, 'model.json'))) throw new Error(`the build has no models/${id}: rebuild (npm run models, then without --no-build)`);
  }
}
