interface Props {
  /** What is wrong with the box; shown instead of the hint. */
  problem: string | null | undefined;
  /** The id the box's aria-describedby names while there is a problem. */
  problemId?: string;
  hint?: string;
}

/** The line under a form box: what is wrong with it, else what to type. */
export function FieldNote({ problem, problemId, hint }: Props) {
  if (problem) {
    return (
      <span className="field-error" id={problemId}>
        {problem}
      </span>
    );
  }
  return hint === undefined ? null : <span className="field-hint">{hint}</span>;
}
