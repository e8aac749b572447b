import type { Section } from '../components/supervisor-desk-app';

const SECTIONS: readonly Section[] = ['queues', 'conversations', 'agents'];

/** The maker's comma-separated list, in any order and case; nothing valid means all three. */
export function sectionsOf(text: string | null | undefined): Set<Section> {
  const picked = (text ?? '').split(',').map((x) => x.trim().toLowerCase()).filter((x): x is Section => (SECTIONS as readonly string[]).includes(x));
  return new Set(picked.length ? picked : SECTIONS);
}
