/** axe-core on a page (or a part of it): the serious and critical violations, described; all of them are logged. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * @axe-core/playwright types its page with the top-level playwright-core (npm installed its peer at
 * 1.65) while @playwright/test 1.64 ships its own copy: same object, two type declarations.
 */
type AxePage = ConstructorParameters<typeof AxeBuilder>[0]['page'];

export async function seriousAxeViolations(page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page: page as unknown as AxePage });
  const results = await (include ? builder.include(include) : builder).analyze();
  for (const violation of results.violations) {
    console.log(`axe ${violation.impact}: ${violation.id} — ${violation.help} (${violation.nodes.length} node(s))`);
    for (const node of violation.nodes.slice(0, 5)) console.log(`    ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ')}`);
  }
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
