/** Issue 11, part 1: class groups from the WordNet hierarchy — shown, explained, searched, filtered and exported. */
import { readFileSync } from 'node:fs';
import { ClassHierarchy, type HierarchyData } from '../src/hierarchy/hierarchy';
import { expect, test } from './fixtures';
import { CAT, CORGI_CLASSES, CORGI_HEAD_AND_CHEST, DOG, DOMESTIC_CAT_CLASSES, KITCHEN_WEBM, MOBILENET, RESNET50, type ModelId } from './support/media';

const DOG_GROUP = 'n02084071';
const DOMESTIC_CAT_GROUP = 'n02121808';

test.describe('class groups (WordNet)', () => {
  for (const model of [MOBILENET, RESNET50] satisfies ModelId[]) {
    test(`dog.jpg with ${model}: a dog group of at least 90 %, at least its corgis' probability`, async ({ app, photos, groups }) => {
      await app.open(model);
      await photos.upload(DOG);
      await photos.waitDone(1, model);
      const shown = await groups.read();
      console.log(`${model} dog.jpg groups: ${shown.map((g) => `${g.label} ${(g.prob * 100).toFixed(1)}%`).join(', ')}`);
      const dog = shown.find((g) => g.wnid === DOG_GROUP);
      expect(dog, 'the dog group is shown').toMatchObject({ label: 'dog' });
      expect(dog!.prob).toBeGreaterThanOrEqual(0.9);
      expect(dog!.prob).toBeLessThanOrEqual(1.0001);
      // A group's probability is the sum over its classes: at least that of the corgis in the top-5.
      const corgis = (await photos.readPredictions('dog.jpg')).filter((p) => CORGI_CLASSES.includes(p.classIndex));
      expect(corgis.length).toBeGreaterThan(0);
      expect(dog!.prob).toBeGreaterThanOrEqual(corgis.reduce((sum, p) => sum + p.prob, 0) - 1e-6);
      // Never an all-encompassing group.
      expect(shown.map((g) => g.label)).not.toContain('entity');
      expect(shown.map((g) => g.label)).not.toContain('organism');
    });
  }

  test('cat.jpg with MobileNet: a domestic-cat group holding the cat classes of the top-5', async ({ app, photos, groups }) => {
    await app.open(MOBILENET);
    await photos.upload(CAT);
    await photos.waitDone(1);
    const shown = await groups.read();
    console.log(`cat.jpg groups: ${shown.map((g) => `${g.label} ${(g.prob * 100).toFixed(1)}%`).join(', ')}`);
    const cat = shown.find((g) => g.wnid === DOMESTIC_CAT_GROUP);
    expect(cat, 'the domestic cat group is shown').toMatchObject({ label: 'domestic cat' });
    const cats = (await photos.readPredictions('cat.jpg')).filter((p) => DOMESTIC_CAT_CLASSES.includes(p.classIndex));
    expect(cats.length).toBeGreaterThan(0);
    expect(cat!.prob).toBeGreaterThanOrEqual(cats.reduce((sum, p) => sum + p.prob, 0) - 1e-6);
    expect(cat!.prob).toBeGreaterThanOrEqual(0.5);
  });

  test("the dog group's heatmap peaks on the dog, follows the method, needs no new inference and is exported", async ({ app, photos, heatmaps, groups }) => {
    await app.open(MOBILENET);
    await photos.upload(DOG);
    await photos.waitDone(1);
    await expect(heatmaps.overlay).toHaveAttribute('data-group', '');
    const inferences = await app.inferences();
    const classMap = await heatmaps.exportMap();

    await groups.explain(DOG_GROUP);
    await heatmaps.expectPeakIn(CORGI_HEAD_AND_CHEST);
    await expect(heatmaps.title).toHaveText(/^\d+% dog \(group\)/);
    const groupMap = await heatmaps.exportMap();
    expect(groupMap.group).toMatchObject({ wnid: DOG_GROUP, label: 'dog' });
    expect(groupMap.label).toBe('dog');
    expect(groupMap.values).not.toEqual(classMap.values);
    // The per-photo JSON carries the photo's groups too.
    expect(groupMap.groups?.find((g) => g.wnid === DOG_GROUP)?.probability).toBeGreaterThan(0.9);

    // Grad-CAM of the same group: the map stays the group's.
    await heatmaps.setMethod('gradcam');
    await expect(heatmaps.overlay).toHaveAttribute('data-group', DOG_GROUP);
    await heatmaps.expectPeakIn(CORGI_HEAD_AND_CHEST);
    expect(await app.inferences()).toBe(inferences);

    // A single class again: the group is no longer shown as pressed.
    await heatmaps.explainPrediction('dog.jpg', 0);
    await expect(heatmaps.overlay).toHaveAttribute('data-group', '');
    await expect(groups.item(DOG_GROUP).getByRole('button')).toHaveAttribute('aria-pressed', 'false');
  });

  test('search offers groups ("vehicle" on a dog photo), filter and export by group', async ({ app, photos, groups }) => {
    await app.open(MOBILENET);
    await photos.upload([DOG, CAT]);
    await photos.waitDone(2);
    await photos.select('dog.jpg');

    // Any group can be explained, even one the photo is not in.
    await groups.explainBySearch('vehicle', 'n04524313');
    await expect(groups.options).toHaveCount(0);
    // A group named exactly is offered first, before the classes with "dog" in their names: Enter picks it.
    await groups.explainBySearch('dog', DOG_GROUP, 'enter');

    // The gallery filter: by group name or wnid, on the top-1 class.
    expect(await groups.filterGallery('dog', 1)).toEqual(['dog.jpg']);
    expect(await groups.filterGallery(DOMESTIC_CAT_GROUP, 1)).toEqual(['cat.jpg']);
    expect((await groups.filterGallery('carnivore', 2)).sort()).toEqual(['cat.jpg', 'dog.jpg']);
    expect(await groups.filterGallery('vehicle', 0)).toEqual([]);
    await groups.filterGallery('', 2);

    // The JSON export: every photo with its groups, as shown.
    const exported = await groups.exportAll();
    const dog = exported.find((e) => e.source === 'dog.jpg');
    const cat = exported.find((e) => e.source === 'cat.jpg');
    expect(dog?.groups?.find((g) => g.wnid === DOG_GROUP)?.probability).toBeGreaterThanOrEqual(0.9);
    expect(cat?.groups?.map((g) => g.wnid)).toContain(DOMESTIC_CAT_GROUP);
    await photos.select('cat.jpg');
    const shownForCat = await groups.read();
    expect(cat?.groups?.map((g) => [g.wnid, g.probability])).toEqual(shownForCat.map((g) => [g.wnid, g.prob]));
  });

  test('live video: the HUD shows the top group of the frame, holding the probability of its classes in the top-3', async ({ app, live }) => {
    const hierarchy = new ClassHierarchy(JSON.parse(readFileSync(new URL('../src/hierarchy/wordnet-imagenet.json', import.meta.url), 'utf8')) as HierarchyData);
    await app.open(MOBILENET);
    await live.openVideo(KITCHEN_WEBM);
    await live.waitForFrames(3);
    let shown = await live.topGroup();
    await expect.poll(async () => (shown = await live.topGroup()).wnid, { message: 'a group in the HUD', timeout: 60_000 }).not.toBe('');
    console.log(`kitchen.webm HUD: ${shown.text}; top-3 ${shown.top.map((t) => `${t.label} ${(t.prob * 100).toFixed(1)}%`).join(', ')}`);
    const group = hierarchy.node(shown.wnid);
    expect(group, `${shown.wnid} is a WordNet group of the hierarchy`).toBeDefined();
    expect(shown.text).toContain(group!.label);
    const members = shown.top.filter((t) => group!.classes.includes(t.classIndex));
    expect(shown.prob).toBeGreaterThanOrEqual(members.reduce((sum, t) => sum + t.prob, 0) - 1e-6);
    expect(shown.prob).toBeLessThanOrEqual(1.0001);
  });
});
