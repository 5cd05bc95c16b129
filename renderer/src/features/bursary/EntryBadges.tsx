interface Props {
  voided?: boolean;
  pending?: boolean;
  duplicateReference?: boolean;
}

/** Voided / Pending / Duplicate reference, as on the student's statement. */
export function EntryBadges({ voided, pending, duplicateReference }: Props) {
  return (
    <span className="entry-badges">
      {voided && (
        <span className="badge badge-voided" data-testid="voided-badge">
          Voided
        </span>
      )}
      {pending && (
        <span className="badge badge-pending" data-testid="pending-badge" title="Saved on this computer; not yet sent to the school server.">
          Pending
        </span>
      )}
      {duplicateReference && (
        <span
          className="badge badge-duplicate"
          data-testid="duplicate-badge"
          title="Another payment carries the same method and reference: check the slip was not entered twice."
        >
          Duplicate reference
        </span>
      )}
    </span>
  );
}
