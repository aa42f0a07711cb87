/** "Add your own model" in the model zoo panel: model files in, labels, choices, what was found, and the user's models with their Remove buttons. */
import { expect, type Locator, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { FilePayload } from '../support/image-fixtures';
import type { PreprocessMode } from '../../src/models/registry';

export interface ImportChoices {
  /** Paths or in-memory files for the model input (model.json + shards, or a .zip). */
  files: string[] | FilePayload[];
  labels: string | FilePayload;
  preprocess: PreprocessMode;
  /** The name in the model list (also how the test finds the new model). */
  name: string;
  /** The heatmap layer, when not the one proposed. */
  layer?: string;
}

/** Every file of a model folder (model.json and its shards), as the file picker would give them. */
export function modelFolderFiles(dir: string, except: string[] = []): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && !except.includes(name))
    .map((name) => path.join(dir, name));
}

export class ModelImportPage {
  readonly files: Locator;
  readonly folder: Locator;
  readonly labels: Locator;
  readonly preprocess: Locator;
  readonly layer: Locator;
  readonly name: Locator;
  readonly add: Locator;
  readonly summary: Locator;
  readonly error: Locator;
  readonly labelsError: Locator;
  readonly done: Locator;
  readonly userModels: Locator;

  constructor(readonly page: Page) {
    this.files = page.getByTestId('model.import');
    this.folder = page.getByTestId('model.import.folder');
    this.labels = page.getByTestId('model.import.labels');
    this.preprocess = page.getByTestId('model.import.preprocess');
    this.layer = page.getByTestId('model.import.layer');
    this.name = page.getByTestId('model.import.name');
    this.add = page.getByTestId('model.import.add');
    this.summary = page.getByTestId('model.import.summary');
    this.error = page.getByTestId('model.import.error');
    this.labelsError = page.getByTestId('model.import.labels.error');
    this.done = page.getByTestId('model.import.done');
    this.userModels = page.getByTestId('model.user');
  }

  /** Picks the model's files; waits until they are inspected or refused. */
  async pickModel(files: string[] | FilePayload[]): Promise<void> {
    await this.files.setInputFiles(files);
    await expect(this.summary.or(this.error)).toBeVisible();
  }

  /** Picks, chooses and adds; returns the new model's id once it is listed (the app then loads it). */
  async importModel(choices: ImportChoices): Promise<string> {
    await this.pickModel(choices.files);
    await expect(this.summary).toBeVisible();
    await this.labels.setInputFiles(choices.labels);
    await this.preprocess.selectOption(choices.preprocess);
    if (choices.layer) await this.layer.selectOption(choices.layer);
    await this.name.fill(choices.name);
    await expect(this.add).toBeEnabled();
    await this.add.click();
    await expect(this.done).toBeVisible({ timeout: 120_000 });
    return this.modelId(choices.name);
  }

  /** The id of the user model listed under `name`. */
  async modelId(name: string): Promise<string> {
    const entry = this.userModels.filter({ hasText: name });
    await expect(entry).toHaveCount(1);
    return (await entry.getAttribute('data-model')) ?? '';
  }

  /** Clicks Add for a model the worker must refuse; resolves with the message shown (the import's other inputs are already set). */
  async addRefused(): Promise<string> {
    await expect(this.add).toBeEnabled();
    await this.add.click();
    await expect(this.error).toBeVisible({ timeout: 120_000 });
    return (await this.error.textContent()) ?? '';
  }

  async remove(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Remove ${name}` }).click();
    await expect(this.userModels.filter({ hasText: name })).toHaveCount(0);
  }
}
