import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../graph/index.ts';
import { importN8nWorkflow } from './import-n8n.ts';
import { defaultRegistry } from '@keyflow/nodes';

const B = 'n8n-nodes-base.';
const LC = '@n8n/n8n-nodes-langchain.';

function importOne(trigger: { name: string; type: string; parameters: Record<string, unknown> }, next?: { name: string; type: string; parameters: Record<string, unknown> }) {
  const doc = { name: 't', nodes: [trigger, ...(next ? [next] : [])], connections: next ? { [trigger.name]: { main: [[{ node: next.name, type: 'main', index: 0 }]] } } : {} };
  const r = importN8nWorkflow(doc, { registry: defaultRegistry });
  expect(validateGraph(r.graph, defaultRegistry, { minScheduleSeconds: 60 }).ok).toBe(true);
  return r;
}

describe('n8n formTrigger → core.form', () => {
  const form = {
    name: 'On form submission',
    type: `${B}formTrigger`,
    parameters: {
      formTitle: '=Job Application',
      formDescription: 'Apply here',
      responseMode: 'responseNode',
      options: { buttonLabel: 'Apply', respondWithOptions: { values: { formSubmittedText: 'We will write back' } } },
      formFields: {
        values: [
          { fieldLabel: 'First Name', requiredField: true, placeholder: 'Sam' },
          { fieldType: 'email', fieldLabel: 'Email', requiredField: true },
          { fieldType: 'number', fieldLabel: 'Years of experience' },
          { fieldType: 'dropdown', fieldLabel: 'Role', fieldOptions: { values: [{ option: 'Engineer' }, { option: 'Chef' }] }, multiselect: true },
          { fieldType: 'file', fieldLabel: 'CV', requiredField: true },
          { fieldType: 'textarea', fieldLabel: 'About' },
        ],
      },
    },
  };

  it('keeps the fields (labels as names), texts and answer mode; leaves file fields out with a note', () => {
    const next = { name: 'Set', type: `${B}set`, parameters: { mode: 'manual', assignments: { assignments: [{ name: 'who', type: 'string', value: '={{ $json["First Name"] }} <{{ $json.Email }}>' }] } } };
    const r = importOne(form, next);
    const node = r.graph.nodes.find((n) => n.type === 'core.form')!;
    expect(node.config).toEqual({
      title: 'Job Application',
      description: 'Apply here',
      buttonLabel: 'Apply',
      message: 'We will write back',
      respondWith: 'respond',
      fields: [
        { label: 'First Name', name: 'First Name', type: 'text', required: true, placeholder: 'Sam' },
        { label: 'Email', name: 'Email', type: 'email', required: true },
        { label: 'Years of experience', name: 'Years of experience', type: 'number', required: false },
        { label: 'Role', name: 'Role', type: 'select', required: false, options: ['Engineer', 'Chef'] },
        { label: 'About', name: 'About', type: 'textarea', required: false },
      ],
    });
    const report = r.report.nodes.find((n) => n.name === 'On form submission')!;
    expect(report.status).toBe('mapped');
    expect(report.reason).toMatch(/file field 'CV' was left out/);
    expect(report.reason).toMatch(/'Role' allowed several choices/);
    // n8n's $json of the form is its fields: they are under .fields here.
    expect(JSON.stringify(r.graph.nodes.find((n) => n.id === 'Set')!.config)).toContain(`$node[\\"${node.id}\\"].output.fields[\\"First Name\\"]`);
  });

  it('becomes a placeholder when no field can be carried', () => {
    const r = importOne({ name: 'F', type: `${B}formTrigger`, parameters: { formTitle: 'Upload', formFields: { values: [{ fieldType: 'file', fieldLabel: 'Image' }] } } });
    expect(r.report.nodes[0]).toMatchObject({ status: 'placeholder', reason: 'the form has no field a Keyflow form can take' });
    expect(r.graph.nodes[0]!.type).toBe('core.unsupported_trigger');
  });
});

describe('n8n chatTrigger → core.chat', () => {
  it('maps the trigger, and an agent prompt reading chatInput reads the chat node', () => {
    const chat = { name: 'When chat message received', type: `${LC}chatTrigger`, parameters: { public: true, initialMessages: 'Hi there!', options: { title: 'Support' } } };
    const r = importOne(chat);
    const node = r.graph.nodes[0]!;
    expect(node).toMatchObject({ type: 'core.chat', config: { title: 'Support', welcome: 'Hi there!' } });
    expect(r.report.nodes[0]).toMatchObject({ status: 'mapped', keyflowType: 'core.chat' });
  });
});
