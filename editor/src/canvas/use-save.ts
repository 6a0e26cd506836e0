// Saving: PUT over the base version; on success the draft is dropped and the saved version
// becomes the base. On failure every edit stays on screen (and in the draft) with a message
// that says what to do; a 409 opens the conflict dialog.
import { useCallback, useRef, useState } from 'react';
import { queryClient } from '../api/client.ts';
import { useEditorStore } from '../store/editor-store.ts';
import { describeSaveFailure } from './save-errors.ts';
import { getWorkflow, saveWorkflow, versionsKey, webhooksKey, workflowKey, type WorkflowDetail } from './workflow-api.ts';

export function useSave(workflowId: string) {
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const inFlight = useRef(false);

  const afterSave = useCallback(
    (wf: WorkflowDetail, graph: WorkflowDetail['graph']) => {
      const s = useEditorStore.getState();
      s.markSaved(wf.currentVersion, graph);
      queryClient.setQueryData(workflowKey(workflowId), wf);
      void queryClient.invalidateQueries({ queryKey: versionsKey(workflowId) });
      void queryClient.invalidateQueries({ queryKey: webhooksKey(workflowId) });
      void queryClient.invalidateQueries({ queryKey: ['workflows'] });
      s.toast('info', `Saved as version ${wf.currentVersion}.`);
    },
    [workflowId],
  );

  const saveOver = useCallback(
    async (baseVersion: number) => {
      if (inFlight.current) return;
      const s = useEditorStore.getState();
      if (s.readOnly) return;
      inFlight.current = true;
      setSaving(true);
      const graph = s.graph();
      s.flushDraft();
      try {
        afterSave(await saveWorkflow(workflowId, graph, baseVersion), graph);
        setConflict(false);
      } catch (error) {
        const failure = describeSaveFailure(error, graph);
        if (failure.kind === 'conflict') setConflict(true);
        else {
          if (failure.kind === 'invalid') useEditorStore.getState().setServerIssues(failure.issues);
          useEditorStore.getState().toast('error', failure.message);
        }
      } finally {
        inFlight.current = false;
        setSaving(false);
      }
    },
    [workflowId, afterSave],
  );

  const save = useCallback(() => saveOver(useEditorStore.getState().baseVersion), [saveOver]);

  /** Their version replaces the canvas as one undoable edit: Ctrl+Z brings these edits back. */
  const reloadTheirs = useCallback(async () => {
    setSaving(true);
    try {
      const wf = await getWorkflow(workflowId);
      const s = useEditorStore.getState();
      s.replaceGraph(wf.graph, `load version ${wf.currentVersion}`);
      s.markSaved(wf.currentVersion, wf.graph);
      queryClient.setQueryData(workflowKey(workflowId), wf);
      void queryClient.invalidateQueries({ queryKey: versionsKey(workflowId) });
      setConflict(false);
      s.toast('info', `Loaded version ${wf.currentVersion}. Press Ctrl+Z to get your edits back.`);
    } catch (error) {
      useEditorStore.getState().toast('error', describeSaveFailure(error, useEditorStore.getState().graph()).message.replace('Not saved', 'Could not load their version'));
    } finally {
      setSaving(false);
    }
  }, [workflowId]);

  const overwrite = useCallback(async () => {
    try {
      const wf = await getWorkflow(workflowId);
      await saveOver(wf.currentVersion);
    } catch (error) {
      useEditorStore.getState().toast('error', describeSaveFailure(error, useEditorStore.getState().graph()).message);
    }
  }, [workflowId, saveOver]);

  return { save, saving, conflict, reloadTheirs, overwrite, dismissConflict: () => setConflict(false) };
}
