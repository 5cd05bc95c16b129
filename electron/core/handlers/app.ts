import type { Handlers } from '../../../shared/api/contract.js';
import type { CoreContext } from './context.js';

export function appHandlers({ device }: CoreContext): Pick<Handlers, 'app.info'> {
  return {
    'app.info': () => ({
      schoolName: device.school_name,
      currency: device.currency,
      deviceId: device.device_id,
      deviceName: device.device_name,
      receiptSeries: device.receipt_series,
      serverUrl: device.server_url,
      profile: device.profile,
    }),
  };
}
