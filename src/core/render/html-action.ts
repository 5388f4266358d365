/**
 * "What to do" on the page: the box under the banner and the line under a check. Command lines in
 * an action are set as code, so they read as something to paste and wrap like a terminal would.
 */
import type { CheckStatus } from '../types';
import { html, Markup, NONE } from './markup';

/** A command runs from its program name to the end of its clause (";") or of the action. */
const COMMAND = /(?:npm run|npx fastly|gcloud|curl) [^;]*/g;

export function actionBox(status: CheckStatus, action: string): Markup {
  return html`<section class="action is-${status}" aria-label="What to do"><h2>What to do</h2><p>${withCommands(action)}</p></section>`;
}

export function checkAction(status: CheckStatus, action: string | null): Markup {
  if (status === 'pass' || action === null) return NONE;
  return html`<p class="check-action is-${status}"><span class="lead">What to do:</span> ${withCommands(action)}</p>`;
}

export function withCommands(action: string): Markup[] {
  const parts: Markup[] = [];
  let last = 0;
  for (const match of action.matchAll(COMMAND)) {
    parts.push(html`${action.slice(last, match.index)}`, html`<code class="cmd">${match[0]}</code>`);
    last = match.index + match[0].length;
  }
  parts.push(html`${action.slice(last)}`);
  return parts;
}
