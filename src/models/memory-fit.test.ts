import { describe, expect, it } from 'vitest';
import { tooLargeForDevice } from './memory-fit';
import { builtInModel } from '../test-support/model-files';

describe('tooLargeForDevice', () => {
  const resnet = builtInModel('resnet50');
  const mobilenet = builtInModel('mobilenet_v1_0.75');

  it('asks before ResNet-50 on a device with 2 GB or less', () => {
    expect(tooLargeForDevice(resnet, 2)).toBe(true);
    expect(tooLargeForDevice(resnet, 1)).toBe(true);
    expect(tooLargeForDevice(resnet, 0.5)).toBe(true);
  });

  it('does not ask with more memory, or when the browser does not say', () => {
    expect(tooLargeForDevice(resnet, 4)).toBe(false);
    expect(tooLargeForDevice(resnet, 8)).toBe(false);
    expect(tooLargeForDevice(resnet, undefined)).toBe(false);
  });

  it('never asks before the small MobileNet', () => {
    expect(tooLargeForDevice(mobilenet, 0.25)).toBe(false);
  });
});
