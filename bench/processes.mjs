/**
 * The browser's processes and threads as Linux sees them (/proc): memory (PSS) of the whole browser, and
 * CPU time by thread. CPU time does not stretch when the machine is busy, as wall time does, so it tells
 * where the work goes even on a shared machine. Elsewhere than Linux both give null.
 */
import { readFileSync, readdirSync } from 'node:fs';

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/** The processes of the browser started with `userDataDir` (it and all its descendants), with their type. */
function browserProcesses(userDataDir) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const parents = new Map();
  let root = null;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!root) {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes(`--user-data-dir=${userDataDir}`) && !cmd.includes('--type=')) root = pid;
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  if (!root) return null;
  const inTree = (pid) => {
    for (let p = pid; p && p !== '0' && p !== '1'; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  const found = [];
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      found.push({ pid, type: /--utility-sub-type=([\w.-]+)/.exec(cmd)?.[1] ?? /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser' });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Proportional set size (bytes) of the browser of a profile and all its descendants (renderers, GPU, utilities). */
export function browserMemory(userDataDir) {
  const processes = browserProcesses(userDataDir);
  if (!processes) return null;
  let pss = 0;
  let counted = 0;
  /** PSS by process type (browser, renderer, gpu-process, zygote, utilities by sub-type). */
  const byType = {};
  for (const { pid, type } of processes) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const bytes = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      byType[type] = (byType[type] ?? 0) + bytes;
      pss += bytes;
      counted++;
    } catch {
      // Gone, or not readable.
    }
  }
  return { pss, processes: counted, byType };
}

/**
 * CPU time (user + system, ms) of every thread of the browser right now: `${type}/${tid}` → { type, name,
 * main (the process's own first thread), ms }.
 */
export function browserThreadTimes(userDataDir) {
  const processes = browserProcesses(userDataDir);
  if (!processes) return null;
  const threads = new Map();
  for (const { pid, type } of processes) {
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        threads.set(`${type}/${tid}`, { type, name, main: tid === pid, ms: (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS });
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return threads;
}

/** CPU ms each thread spent between two `browserThreadTimes` samples (threads that did nothing left out). */
export function threadTimeSpent(before, after) {
  if (!before || !after) return null;
  const spent = new Map();
  for (const [key, thread] of after) {
    const ms = thread.ms - (before.get(key)?.ms ?? 0);
    if (ms > 0) spent.set(key, { ...thread, ms });
  }
  return spent;
}

/**
 * CPU ms per item (a photo, a frame) by part: the model's threads — those that ran `calibration`
 * (`calibrationItems` bare predictions; null: the page's workers are all taken as the model's) — the
 * page's main thread, its other workers, its other threads, the browser process, the GPU process and
 * the rest (utilities such as the video capture service).
 */
export function cpuParts(calibration, calibrationItems, spent, items) {
  if (!spent || items <= 0) return null;
  const sum = (threads) => threads.reduce((total, [, t]) => total + t.ms, 0);
  const isWorker = (t) => t.type === 'renderer' && t.name.startsWith('DedicatedWorker');
  let modelKeys;
  let perBarePrediction = null;
  if (calibration && calibrationItems > 0) {
    const all = sum([...calibration]);
    const model = [...calibration].filter(([, t]) => t.type === 'renderer' && !t.main && t.ms >= 0.05 * all);
    modelKeys = new Set(model.map(([key]) => key));
    perBarePrediction = { total: all / calibrationItems, model: sum(model) / calibrationItems };
  } else {
    modelKeys = new Set([...spent].filter(([, t]) => isWorker(t)).map(([key]) => key));
  }
  const threads = [...spent];
  const part = (test) => sum(threads.filter(([key, t]) => test(key, t))) / items;
  const isModel = (key) => modelKeys.has(key);
  const isPage = (t) => t.type === 'renderer';
  return {
    modelThreads: [...modelKeys].filter((key) => spent.has(key)).length,
    perBarePrediction,
    perItem: {
      total: part(() => true),
      model: part((key) => isModel(key)),
      pageMain: part((key, t) => isPage(t) && t.main),
      pageWorkers: part((key, t) => isWorker(t) && !isModel(key)),
      pageOther: part((key, t) => isPage(t) && !t.main && !isModel(key) && !isWorker(t)),
      browser: part((key, t) => t.type === 'browser'),
      gpu: part((key, t) => t.type === 'gpu-process'),
      other: part((key, t) => !isPage(t) && t.type !== 'browser' && t.type !== 'gpu-process'),
    },
  };
}
