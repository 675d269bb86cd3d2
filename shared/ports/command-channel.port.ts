/**
 * The command channel port: how the control plane hands directory commands to the agent and how their
 * results come back. Its semantics are Service Bus sessions' (session id = worker key): one worker's
 * commands are applied in the order sent, different workers' in parallel, delivery is at least once
 * (the agent is idempotent), and a result arrives later, as an event, through the `ResultSink` the host
 * gave the channel when it built it. Locally the channel delivers in process to the embedded agent; in
 * Azure it is a Service Bus queue (next adapter), with results coming back on a results queue.
 */
import type { DirectoryCommandInput } from '../protocol/commands';
import type { CommandResult } from '../protocol/results';

export interface CommandChannel {
  /** Queues the command for its worker's session. Resolves once the channel holds it durably enough to deliver. */
  send(command: DirectoryCommandInput): Promise<void>;
  /** Stops taking commands, lets those in flight finish, and releases the channel's resources. */
  close(): Promise<void>;
}

/** Where results go: the host raises them as events on the worker's lifecycle orchestration. */
export type ResultSink = (result: CommandResult) => Promise<void>;
