/** How probabilities and classes are written for people, on screen and in exported figures. */
export const percent = (p: number, digits = 1) => `${(p * 100).toFixed(digits)}%`;

/** The caption of a heatmap, as the book labels its figures: "81% Cardigan". */
export function classCaption(prob: number, classIndex: number, labels: readonly { label: string }[]): string {
  return `${percent(prob, 0)} ${labels[classIndex]?.label ?? `class ${classIndex}`}`;
}
