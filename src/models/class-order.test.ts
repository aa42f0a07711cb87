import { describe, expect, it } from 'vitest';
import { outputToClassIndex, parseWnidList, reorderColumns, reorderScores } from './class-order';

describe('class order by WordNet id', () => {
  const keras = ['n01440764', 'n01443537', 'n01484850'];

  it('reads one WordNet id per line and refuses anything else, naming the line', () => {
    expect(parseWnidList('n01484850\r\nn01440764\n\nn01443537\n')).toEqual(['n01484850', 'n01440764', 'n01443537']);
    expect(() => parseWnidList('n01484850\ntench\n')).toThrow(/line 2 is "tench"/);
  });

  it('maps each model output to its Keras class and moves scores and classifier columns with it', () => {
    const order = outputToClassIndex(['n01484850', 'n01440764', 'n01443537'], keras);
    expect([...order]).toEqual([2, 0, 1]);
    expect([...reorderScores(Float32Array.from([0.7, 0.2, 0.1]), order)]).toEqual([0.2, 0.1, 0.7].map(Math.fround));
    // Two channels × three classes, row-major: row k holds the weights of channel k for each output.
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect([...reorderColumns(kernel, 3, order)]).toEqual([2, 3, 1, 5, 6, 4]);
  });

  it('leaves out a background output named by an empty id (1001-output models)', () => {
    const order = outputToClassIndex(['', 'n01443537', 'n01440764', 'n01484850'], keras);
    expect([...order]).toEqual([-1, 1, 0, 2]);
    expect([...reorderScores(Float32Array.from([0.4, 0.3, 0.2, 0.1]), order)]).toEqual([0.2, 0.3, 0.1].map(Math.fround));
    // Two channels × four outputs → two channels × three classes.
    expect([...reorderColumns(Float32Array.from([9, 1, 2, 3, 9, 4, 5, 6]), 4, order)]).toEqual([2, 1, 3, 5, 4, 6]);
    expect(() => outputToClassIndex(['', 'n01443537', 'n01440764'], keras)).toThrow(/2 WordNet ids; the class index has 3/);
  });

  it('refuses a list of another length, an unknown id or a repeated one', () => {
    expect(() => outputToClassIndex(['n01440764'], keras)).toThrow(/1 WordNet ids; the class index has 3/);
    expect(() => outputToClassIndex(['n01440764', 'n01443537', 'n99999999'], keras)).toThrow(/n99999999 \(output 2\) is not an ImageNet class/);
    expect(() => outputToClassIndex(['n01440764', 'n01440764', 'n01443537'], keras)).toThrow(/appears twice/);
  });
});
