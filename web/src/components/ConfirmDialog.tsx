import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A real modal (<dialog>.showModal): focus stays inside, Escape cancels. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { open, onCancel } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onCancelEvent = (e: Event) => {
      e.preventDefault();
      onCancel();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => dialog.removeEventListener('cancel', onCancelEvent);
  }, [onCancel]);

  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      <div className="modal-body">{props.children}</div>
      <div className="modal-actions">
        <button type="button" className="secondary" onClick={props.onCancel} disabled={props.busy} autoFocus>
          {props.cancelLabel}
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : ''}
          onClick={props.onConfirm}
          disabled={props.busy}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
