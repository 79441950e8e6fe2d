import type { ReactNode } from 'react';
import { Dialog, DialogButtons } from './Dialog';

interface PickerDialogProps {
  title: string;
  description: ReactNode;
  onClose: () => void;
  /** The picker; picking in it is the dialog's only action, so there is no OK button. */
  children: ReactNode;
}

/** A dialog holding one picker and a Cancel button: how filters ask for a group or a person. */
export function PickerDialog({ title, description, onClose, children }: PickerDialogProps) {
  return (
    <Dialog title={title} description={description} onClose={onClose}>
      {children}
      <DialogButtons>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </DialogButtons>
    </Dialog>
  );
}
