/**
 * Turns planned sends into SendActions with engine-unique sendIds. Shared by every engine so
 * that ids, reasons and mutation descriptions look the same everywhere.
 */
import type { Destination, SendAction } from './actions.ts'
import type { PlannedSend } from './mutations.ts'
import { isEventMessage } from '../codec/constants.ts'

export class SendEmitter {
  private counter = 0

  constructor(readonly source: string) {}

  nextId(): string {
    return `${this.source}#${++this.counter}`
  }

  toAction(plan: PlannedSend, step: string, destination?: Destination): SendAction {
    const action: SendAction = {
      kind: 'send',
      sendId: this.nextId(),
      message: plan.message,
      event: isEventMessage(plan.message.header.messageType),
      reason: { source: this.source, step, mutations: [...plan.mutations] },
    }
    if (plan.at !== undefined) action.at = plan.at
    if (plan.encode) action.encode = plan.encode
    if (plan.frameEdit) action.frameEdit = plan.frameEdit
    if (destination) action.destination = destination
    return action
  }
}
