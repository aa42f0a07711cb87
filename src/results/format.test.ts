import { describe, expect, it } from 'vitest';
import type { ExplainedMap } from '../cam/types';
import type { ClassLabel } from '../models/labels';
import { parseCsv } from '../test-support/csv';
import { fileStem, mapToJson, resultsCsvChunks, resultsJsonChunks, resultsToCsv, resultsToJson, type ResultRow } from './format';

/** A sparse label list: only the indices used below are set. */
const labels: ClassLabel[] = [];
labels[0] = { index: 0, wnid: 'n01440764', name: 'tench', label: 'tench' };
labels[281] = { index: 281, wnid: 'n02123045', name: 'tabby', label: 'tabby' };
labels[285] = { index: 285, wnid: 'n02124075', name: 'Egyptian_cat', label: 'Egyptian cat' };
labels[1] = { index: 1, wnid: 'n0000001', name: 'weird', label: 'a, "quoted" label' };

const photo: ResultRow = {
  source: 'cat.jpg',
  model: 'MobileNet v1 0.75',
  top: [
    { index: 285, prob: 0.9123456 },
    { index: 281, prob: 0.05 },
  ],
};

describe('resultsToCsv', () => {
  it('writes a header and one line per (source, rank), ending in a newline', () => {
    expect(resultsToCsv([photo], labels)).toBe(
      'source,model,rank,class_index,wnid,label,probability\n' +
        'cat.jpg,MobileNet v1 0.75,1,285,n02124075,Egyptian cat,0.912346\n' +
        'cat.jpg,MobileNet v1 0.75,2,281,n02123045,tabby,0.050000\n',
    );
  });

  it('just a header for no rows', () => {
    expect(resultsToCsv([], labels)).toBe('source,model,rank,class_index,wnid,label,probability\n');
  });

  it('adds a time_s column when any row has a time; rows without one leave it empty', () => {
    const csv = resultsToCsv(
      [
        { source: 'frame 1', model: 'ResNet-50', time: 1.23456, top: [{ index: 0, prob: 0.5 }] },
        { source: 'frame 2', model: 'ResNet-50', top: [{ index: 0, prob: 0.25 }] },
      ],
      labels,
    );
    expect(csv).toBe(
      'source,time_s,model,rank,class_index,wnid,label,probability\n' +
        'frame 1,1.235,ResNet-50,1,0,n01440764,tench,0.500000\n' +
        'frame 2,,ResNet-50,1,0,n01440764,tench,0.250000\n',
    );
  });

  it('quotes commas, quotes and newlines (RFC 4180), and the fields parse back', () => {
    const sources = ['a,b.jpg', 'say "hi".jpg', 'two\nlines.jpg', 'cr\rhere.jpg'];
    const csv = resultsToCsv(
      sources.map((source) => ({ source, model: 'm', top: [{ index: 1, prob: 1 }] })),
      labels,
    );
    expect(csv).toContain('\n"a,b.jpg",m,');
    expect(csv).toContain('\n"say ""hi"".jpg",m,');
    expect(csv).toContain('\n"two\nlines.jpg",m,');
    expect(csv).toContain(',"a, ""quoted"" label",');
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(1 + sources.length);
    rows.slice(1).forEach((row, i) => {
      expect(row).toHaveLength(7);
      expect(row[0]).toBe(sources[i]);
      expect(row[5]).toBe('a, "quoted" label');
    });
  });

  it.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd'])('neutralises a leading formula character: %j', (source) => {
    const csv = resultsToCsv([{ source, model: 'm', top: [{ index: 0, prob: 0.1 }] }], labels);
    const cell = parseCsv(csv)[1][0];
    // Kept verbatim but prefixed with an apostrophe, inside quotes, so spreadsheets show it as text.
    expect(cell).toBe(`'${source}`);
    expect(csv.split('\n')[1].startsWith('"\'')).toBe(true);
  });

  it('applies the guard to the model name too, and leaves inner = signs alone', () => {
    const csv = resultsToCsv([{ source: 'a=b.jpg', model: '=evil', top: [{ index: 0, prob: 0.1 }] }], labels);
    const row = parseCsv(csv)[1];
    expect(row[0]).toBe('a=b.jpg');
    expect(row[1]).toBe("'=evil");
  });

  it('leaves wnid and label empty for an index without a label', () => {
    const row = parseCsv(resultsToCsv([{ source: 's', model: 'm', top: [{ index: 999, prob: 0.1 }] }], labels))[1];
    expect(row).toEqual(['s', 'm', '1', '999', '', '', '0.100000']);
  });
});

describe('resultsToJson', () => {
  it('lists predictions with class index, wnid, readable label and probability', () => {
    expect(JSON.parse(resultsToJson([photo], labels))).toEqual([
      {
        source: 'cat.jpg',
        model: 'MobileNet v1 0.75',
        predictions: [
          { classIndex: 285, wnid: 'n02124075', label: 'Egyptian cat', probability: 0.9123456 },
          { classIndex: 281, wnid: 'n02123045', label: 'tabby', probability: 0.05 },
        ],
      },
    ]);
  });

  it('includes time only when present (0 counts), and null for unknown labels', () => {
    const parsed = JSON.parse(
      resultsToJson(
        [
          { source: 'frame 0', model: 'm', time: 0, top: [{ index: 4242, prob: 0.5 }] },
          { source: 'p.png', model: 'm', top: [] },
        ],
        labels,
      ),
    ) as Record<string, unknown>[];
    expect(parsed[0].time).toBe(0);
    expect(parsed[0].predictions).toEqual([{ classIndex: 4242, wnid: null, label: null, probability: 0.5 }]);
    expect('time' in parsed[1]).toBe(false);
    expect(parsed[1].predictions).toEqual([]);
  });

  it('adds the class groups with their probabilities when a photo has them', () => {
    const groups = [{ wnid: 'n02121808', label: 'domestic cat', prob: 0.96 }];
    const [entry] = JSON.parse(resultsToJson([{ ...photo, groups }], labels)) as Record<string, unknown>[];
    expect(entry.groups).toEqual([{ wnid: 'n02121808', label: 'domestic cat', probability: 0.96 }]);
    expect('groups' in (JSON.parse(resultsToJson([photo], labels)) as Record<string, unknown>[])[0]).toBe(false);
  });

  it('survives awkward names unchanged', () => {
    const source = 'a,"b"\n=c.jpg';
    expect((JSON.parse(resultsToJson([{ source, model: 'm', top: [] }], labels)) as { source: string }[])[0].source).toBe(source);
  });
});

describe('mapToJson', () => {
  const map: ExplainedMap = {
    classIndex: 285,
    method: 'gradcam',
    width: 3,
    height: 2,
    data: Float32Array.from([1, -2, 3.5, 0.1, 5, -6]),
  };
  const context = {
    source: 'cat.jpg',
    model: 'ResNet-50',
    label: 'Egyptian cat',
    crop: { x: 110, y: 30, width: 420, height: 420 },
    photo: { width: 640, height: 480 },
  };

  it('writes the map as height rows of width values, row-major', () => {
    const parsed = JSON.parse(mapToJson(map, context)) as { values: number[][] };
    expect(parsed.values).toHaveLength(2);
    expect(parsed.values[0]).toEqual([1, -2, 3.5]);
    expect(parsed.values[1][0]).toBeCloseTo(0.1, 6);
    expect(parsed.values[1].slice(1)).toEqual([5, -6]);
    // Each value is exactly the float32 in the map.
    parsed.values.flat().forEach((v, i) => expect(Math.fround(v)).toBe(map.data[i]));
  });

  it('carries the metadata needed to place the grid on the photo', () => {
    const parsed = JSON.parse(mapToJson(map, context)) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      source: 'cat.jpg',
      model: 'ResNet-50',
      method: 'gradcam',
      classIndex: 285,
      label: 'Egyptian cat',
      width: 3,
      height: 2,
      crop: context.crop,
      photo: context.photo,
    });
    expect(typeof parsed.note).toBe('string');
  });

  it('handles a real 7×7 grid', () => {
    const data = Float32Array.from({ length: 49 }, (_, i) => i);
    const parsed = JSON.parse(mapToJson({ classIndex: 0, method: 'cam', width: 7, height: 7, data }, context)) as { values: number[][] };
    expect(parsed.values).toHaveLength(7);
    expect(parsed.values[6]).toEqual([42, 43, 44, 45, 46, 47, 48]);
  });
});

describe('fileStem', () => {
  it.each([
    ['cat.jpg', 'cat'],
    ['IMG_0001.JPEG', 'IMG_0001'],
    ['archive.tar.gz', 'archive.tar'],
    ['My photo (1).png', 'My_photo_1_'],
    ['frame 12', 'frame_12'],
    ['a-b_c.d.webp', 'a-b_c.d'],
    ['', 'photo'],
    ['.jpg', 'photo'],
    ['???.png', '_'],
  ])('%j → %j', (name, stem) => {
    expect(fileStem(name)).toBe(stem);
  });

  it('never keeps path separators or other unsafe characters', () => {
    for (const name of ['../../etc/passwd', 'C:\\Users\\me\\pic.jpg', 'a/b\\c:d*e?f"g<h>i|j.png', 'tab\tnew\nline.jpg']) {
      expect(fileStem(name)).toMatch(/^[\w.-]+$/);
    }
  });

  it('is at most 80 characters', () => {
    expect(fileStem(`${'x'.repeat(200)}.jpg`)).toBe('x'.repeat(80));
  });
});

describe('exports in chunks', () => {
  const many: ResultRow[] = Array.from({ length: 23 }, (_, i) => ({
    source: i % 5 === 0 ? `odd, "name"\n${i}.jpg` : `p${i}.jpg`,
    model: 'm',
    top: i % 7 === 0 ? [] : [{ index: [0, 1, 281, 285][i % 4], prob: i / 23 }],
  }));

  it('JSON pieces join to the same document as one JSON.stringify of the whole, for any piece size', () => {
    const whole = JSON.stringify(JSON.parse(resultsToJson(many, labels)), null, 2);
    for (const size of [1, 4, 22, 23, 500]) expect([...resultsJsonChunks(many, labels, size)].join('')).toBe(whole);
    expect([...resultsJsonChunks([], labels, 4)].join('')).toBe('[]');
  });

  it('CSV pieces hold at most the given number of photos and join to one table', () => {
    const chunks = [...resultsCsvChunks(many, labels, 4)];
    expect(chunks.length).toBeGreaterThan(5);
    const table = parseCsv(chunks.join(''));
    expect(table.length - 1).toBe(many.filter((row) => row.top.length > 0).length);
    expect(table.slice(1).map((row) => row[0])).toEqual(many.filter((row) => row.top.length > 0).map((row) => row.source));
  });
});
