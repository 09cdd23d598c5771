// The one place storage errors become API Status errors (upstream: storeerr.InterpretXError).
import {
  newAlreadyExists, newConflict, newInternalError, newNotFound, newResourceExpired, newTimeoutError,
  OPTIMISTIC_LOCK_MESSAGE, StatusError, type GroupResource,
} from '../../apimachinery/errors.ts';
import { StorageError } from '../../storage/interface.ts';

export function interpretStorageError(err: unknown, gr: GroupResource, name: string): StatusError {
  if (err instanceof StatusError) return err;
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'KeyNotFound': return newNotFound(gr, name);
      case 'KeyExists': return newAlreadyExists(gr, name);
      case 'ResourceVersionConflict': return newConflict(gr, name, err.message && !err.message.startsWith('ResourceVersionConflict') ? err.message : OPTIMISTIC_LOCK_MESSAGE);
      case 'Expired': return newResourceExpired(err.message && !err.message.startsWith('Expired') ? err.message : 'too old resource version');
      case 'TooLarge': return newTimeoutError(err.message, 1);
      default: return newInternalError(err);
    }
  }
  return newInternalError(err);
}
