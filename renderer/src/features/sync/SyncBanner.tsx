import { formatDateTime } from '../../lib/time';
import { useBanner, type BannerContent } from './banner';
import { bannerText, progressTotal } from './syncText';
import './sync.css';

interface Props {
  content: BannerContent;
  /** Opens the "Sync & backups" screen. */
  onOpenSync(): void;
}

/** One line over every screen while a first sync streams in (or after a repair): nothing is blocked. */
export function SyncBanner({ content, onOpenSync }: Props) {
  const dismiss = useBanner((s) => s.dismiss);
  return (
    <div className={`sync-banner is-${content.kind}`} role="status" data-testid="sync-banner">
      {content.kind === 'first-sync' ? (
        <>
          <span className="sync-banner-text" data-testid="sync-banner-text">
            {bannerText(content.progress)}
          </span>
          <progress
            className="sync-banner-bar"
            max={progressTotal(content.progress) || 1}
            value={content.progress.rowsDone}
            aria-hidden="true"
          />
        </>
      ) : (
        <span className="sync-banner-text" data-testid="sync-banner-text">
          This computer's database was found damaged on {formatDateTime(content.report.at)} and rebuilt from the school server.
        </span>
      )}
      <button type="button" className="link-button" onClick={onOpenSync} data-testid="sync-banner-open">
        Details
      </button>
      <button type="button" className="sync-banner-close" onClick={() => dismiss(content.key)} aria-label="Hide this message" title="Hide this message until the next sign-in" data-testid="sync-banner-close">
        ×
      </button>
    </div>
  );
}
