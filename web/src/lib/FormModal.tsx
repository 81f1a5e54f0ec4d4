// A dialog around one form that sends one request (useSubmit): OK submits the form (or, for a plain
// confirmation without a form, runs onOk), Cancel forgets the attempt (and, unless told otherwise, what was
// typed), and the request's refusal shows above the form.
import type { ReactNode } from 'react';
import { Modal, type FormInstance } from 'antd';
import { ErrorAlert } from './ErrorAlert.tsx';
import { useLang } from './i18n.tsx';
import type { Submission } from './useSubmit.ts';

export function FormModal({
  open,
  title,
  okText,
  danger = false,
  width,
  form,
  onOk,
  run,
  resetOnCancel = true,
  onCancel,
  intro,
  children,
}: {
  open: boolean;
  title: ReactNode;
  okText: ReactNode;
  /** The OK button in red: the action stops or undoes something. */
  danger?: boolean;
  width?: number;
  /** The form OK submits; without one, OK runs onOk (a confirmation). */
  form?: FormInstance;
  onOk?: () => void;
  run: Pick<Submission<never[], unknown>, 'sending' | 'error' | 'reset'>;
  /** Keep the typed values when the dialog is cancelled (a long form the user may come back to). */
  resetOnCancel?: boolean;
  onCancel: () => void;
  /** What the dialog acts on, shown above the refusal and the form. */
  intro?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useLang();
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      {...(danger ? { okButtonProps: { danger: true } } : {})}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={run.sending}
      destroyOnHidden
      {...(width === undefined ? {} : { width })}
      onOk={() => (form ? form.submit() : onOk?.())}
      onCancel={() => {
        run.reset();
        if (resetOnCancel) form?.resetFields();
        onCancel();
      }}
    >
      {intro}
      <ErrorAlert error={run.error} />
      {children}
    </Modal>
  );
}
