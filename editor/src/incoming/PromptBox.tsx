// "Describe a workflow": a description in, a generated graph shown as a preview (IncomingPreview).
// On the blank canvas as a card, in the toolbar's dialog, and beside a preview to edit and retry.
import { useState } from 'react';
import { Dialog } from 'radix-ui';
import { useIncoming } from './incoming-store.ts';

export function PromptBox(props: { idSuffix: string; autoFocus?: boolean; retry?: boolean }) {
  const { busy, error, prompt, generate } = useIncoming();
  const [text, setText] = useState(prompt);
  const id = `kf-describe-${props.idSuffix}`;
  const failed = error?.what === 'generate' ? error.message : undefined;
  return (
    <form
      className="kf-prompt-box"
      aria-label={props.retry ? 'Edit the description' : 'Workflow from a description'}
      onSubmit={(e) => {
        e.preventDefault();
        void generate(text.trim());
      }}
    >
      <label htmlFor={id}>{props.retry ? 'Description' : 'Describe a workflow'}</label>
      <textarea
        id={id}
        className="kf-input"
        rows={3}
        autoFocus={props.autoFocus}
        placeholder="When a form is posted to my webhook, summarise it with AI and post it to Slack #leads"
        value={text}
        aria-invalid={failed ? true : undefined}
        aria-describedby={failed ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void generate(text.trim());
          }
        }}
      />
      {failed && (
        <p id={`${id}-error`} role="alert" className="kf-alert">
          {failed}
        </p>
      )}
      <div className="kf-row">
        <button type="submit" className="kf-button kf-button--primary" disabled={busy !== undefined || text.trim().length === 0}>
          {busy === 'generate' ? 'Generating…' : props.retry ? 'Retry' : 'Generate'}
        </button>
        {!props.retry && <span className="kf-muted">Uses your AI key if you have one, else the built-in planner. You review it before anything changes.</span>}
      </div>
    </form>
  );
}

/** The toolbar's "Describe a workflow" dialog. */
export function DescribeDialog() {
  const open = useIncoming((s) => s.describeOpen);
  const setOpen = useIncoming((s) => s.setDescribeOpen);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="kf-overlay" />
        <Dialog.Content className="kf-dialog kf-describe-dialog">
          <Dialog.Title className="kf-dialog__title">Describe a workflow</Dialog.Title>
          <Dialog.Description className="kf-dialog__description">Say what should happen, in a sentence or two. You review the graph before anything is added.</Dialog.Description>
          <PromptBox idSuffix="dialog" autoFocus />
          <div className="kf-dialog__actions">
            <Dialog.Close className="kf-button">Close</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
