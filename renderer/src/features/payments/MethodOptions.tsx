import { PAYMENT_METHODS } from '../../../../shared/domain/payments';
import { METHOD_LABEL } from './methods';

/** The payment methods as a select's choices, in the order the school sees them everywhere. */
export function MethodOptions() {
  return (
    <>
      {PAYMENT_METHODS.map((m) => (
        <option key={m} value={m}>
          {METHOD_LABEL[m]}
        </option>
      ))}
    </>
  );
}
