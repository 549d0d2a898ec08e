/** `update_plan`: the model keeps a visible checklist; the tool only records and reports it. */
import type { Tool } from './types';
import { parseArguments } from './arguments';
import { plainDescription, type CallArgs, type CallDescription } from './call-description';

export type PlanStatus = 'pending' | 'in_progress' | 'completed';
export interface PlanStep {
  step: string;
  status: PlanStatus;
}

const PLAN_STATUSES: readonly PlanStatus[] = ['pending', 'in_progress', 'completed'];
const STATUSES = PLAN_STATUSES;

/** Whether `value` is a plan step as update_plan takes it. */
function isPlanStep(value: unknown): value is PlanStep {
  const step = value as { step?: unknown; status?: unknown } | null;
  return typeof step?.step === 'string' && PLAN_STATUSES.includes(step.status as PlanStatus);
}

export const updatePlanTool: Tool = {
  name: 'update_plan',
  parallelSafe: true,
  spec: () => ({
    type: 'function',
    name: 'update_plan',
    description:
      'Records the plan for the current task as a short list of steps, each pending, in_progress or completed. ' +
      'Keep at most one step in_progress. Call it again whenever a step changes state; ' +
      'skip it for tasks that take one or two steps.',
    strict: false,
    parameters: {
      type: 'object',
      properties: {
        explanation: { type: 'string', description: 'Why the plan changed, in one sentence (optional).' },
        plan: {
          type: 'array',
          description: 'The steps in order.',
          items: {
            type: 'object',
            properties: {
              step: { type: 'string' },
              status: { type: 'string', enum: [...STATUSES] },
            },
            required: ['step', 'status'],
            additionalProperties: false,
          },
        },
      },
      required: ['plan'],
      additionalProperties: false,
    },
  }),
  async run(input, ctx) {
    const args = parseArguments(input);
    if (!args.ok) return { output: args.error, success: false };
    const { plan, explanation } = args.value as { plan?: unknown; explanation?: unknown };
    if (!Array.isArray(plan)) return { output: 'update_plan needs "plan": an array of {step, status}.', success: false };
    const steps: PlanStep[] = [];
    for (const [i, raw] of plan.entries()) {
      const entry = raw as { step?: unknown; status?: unknown } | null;
      if (!entry || typeof entry.step !== 'string' || !STATUSES.includes(entry.status as PlanStatus)) {
        return {
          output: `update_plan: plan[${i}] must be {step: string, status: "pending" | "in_progress" | "completed"}.`,
          success: false,
        };
      }
      steps.push({ step: entry.step, status: entry.status as PlanStatus });
    }
    if (steps.filter((s) => s.status === 'in_progress').length > 1) {
      return { output: 'update_plan: at most one step can be in_progress.', success: false };
    }
    ctx.emit({
      type: 'plan_updated',
      plan: steps,
      ...(typeof explanation === 'string' && explanation ? { explanation } : {}),
    });
    return { output: 'Plan updated', success: true };
  },
  describe: describeUpdatePlan,
};

/**
 * The plan's readable steps (malformed ones left out) and its explanation; no summary, as views
 * show the plan itself (the chat as a checklist, the CLI as a block after the call).
 */
function describeUpdatePlan(args: CallArgs, input: string): CallDescription {
  if (!args) return plainDescription('update_plan', args, input);
  const { plan, explanation } = args as { plan?: unknown; explanation?: unknown };
  const description: CallDescription = { title: 'update_plan', summary: '' };
  if (!Array.isArray(plan)) return description;
  const steps = plan.filter(isPlanStep).map((s) => ({ step: s.step, status: s.status }));
  return { ...description, detail: { kind: 'update_plan', plan: steps, ...(typeof explanation === 'string' && explanation ? { explanation } : {}) } };
}
