import type { CompiledQuery } from 'kysely';

/** A value a compiled statement leaves open, filled from each call's own values. */
class Slot {
  constructor(readonly name: string) {}
}

export type SlotOf = <T>(name: string) => T | undefined;

/**
 * Statements whose SQL depends only on which values a call gives (which filters, a cursor or
 * not), never on the values themselves: each shape is built and compiled once, with slots where
 * the values go, and each call fills in its parameters. Building and compiling a page statement
 * cost a fifth to a third of running it (docs/benchmarks.md).
 */
export function compiledShapes<R>(): (key: string, values: Record<string, unknown>, build: (slot: SlotOf) => CompiledQuery<R>) => CompiledQuery<R> {
  const shapes = new Map<string, CompiledQuery<R>>();
  return (key, values, build) => {
    let compiled = shapes.get(key);
    if (!compiled) {
      compiled = build(<T>(name: string) => (name in values ? (new Slot(name) as unknown as T) : undefined));
      shapes.set(key, compiled);
    }
    return { ...compiled, parameters: compiled.parameters.map((p) => (p instanceof Slot ? values[p.name] : p)) };
  };
}
