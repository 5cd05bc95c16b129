import type { Handlers } from '../../../shared/api/contract.js';
import type { CoreContext } from './context.js';
import { AppError } from '../../../shared/api/errors.js';

export function appHandlers({ device }: CoreContext): Pick<Handlers, 'app.info' | 'device.state' | 'device.enrol'> {
  return {
    'device.state': () => ({ enrolled: true }),
    'device.enrol': () => {
      throw new AppError('conflict', `This computer is already enrolled with ${device.school_name}. To move it to another school, IT must reinstall it.`);
    },
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
