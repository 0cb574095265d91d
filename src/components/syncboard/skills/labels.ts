// Owner-facing words for skill values, in one place so the list and the detail agree.
import type { ActorKind, ApprovalStatus, Channel, InvocationOutcome, SkillStatus, SkillType } from "../../../../convex/lib/validators";
import { ACTOR_LABELS, CHANNEL_LABELS } from "../labels";

const TYPE_LABELS: Record<SkillType, string> = { template: "Template", webhook: "Webhook", code: "Code" };
const APPROVAL_LABELS: Record<ApprovalStatus, string> = { pending: "Waiting for review", approved: "Approved", rejected: "Rejected" };
const OUTCOME_LABELS: Record<InvocationOutcome, string> = { ok: "Ran", denied: "Refused", failed: "Failed" };

export const typeLabel = (type: SkillType) => TYPE_LABELS[type];
export const approvalLabel = (status: ApprovalStatus) => APPROVAL_LABELS[status];
export const statusLabel = (status: SkillStatus) => (status === "active" ? "On" : "Off");
export const outcomeLabel = (outcome: InvocationOutcome) => OUTCOME_LABELS[outcome];
export const callerLabel = (caller: ActorKind) => ACTOR_LABELS[caller];
export const channelLabel = (channel: Channel) => CHANNEL_LABELS[channel];
