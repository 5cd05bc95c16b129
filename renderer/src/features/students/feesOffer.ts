import type { FeeStructureView } from '../../../../shared/domain/bursary-views';

/** The active fee structure of a class for the current term, if there is one to offer to charge
 * after students join the class (never charged without someone choosing to). */
export function structureToOffer(className: string | null, structures: readonly FeeStructureView[], currentTerm: string | null): FeeStructureView | null {
  if (!className || !currentTerm) return null;
  const name = className.toLowerCase();
  return structures.find((s) => s.active && s.term === currentTerm && s.className.toLowerCase() === name) ?? null;
}
