import { Module } from '@nestjs/common';
import { CheckCommand } from './commands/check.command';
import { RoutesCommand, RoutesTestCommand } from './commands/routes.command';
import { SchemaCommand } from './commands/schema.command';
import { ServeCommand } from './commands/serve.command';
import {
  DeliveriesCommand, DeliveriesListCommand, DeliveriesShowCommand, EventsCommand, EventsListCommand, EventsShowCommand,
  ReplayCommand,
} from './commands/store.commands';
import { FakeJoggCommand, SyncApplyCommand, SyncCommand, SyncPlanCommand, SyncRotateCommand } from './commands/sync.commands';
import { TriggerCommand } from './commands/trigger.command';
import { GroupsCommand, GroupsListCommand, GroupsShowCommand } from './commands/groups.commands';
import { SilenceAddCommand, SilenceCommand, SilenceExpireCommand, SilenceListCommand } from './commands/silence.commands';

/** The command line's own root module: the commands, which open the bridge's services per config. */
@Module({
  providers: [
    ServeCommand, CheckCommand, RoutesCommand, RoutesTestCommand, TriggerCommand,
    EventsCommand, EventsListCommand, EventsShowCommand, DeliveriesCommand, DeliveriesListCommand, DeliveriesShowCommand,
    ReplayCommand, SchemaCommand, SyncCommand, SyncPlanCommand, SyncApplyCommand, SyncRotateCommand, FakeJoggCommand,
    GroupsCommand, GroupsListCommand, GroupsShowCommand, SilenceCommand, SilenceAddCommand, SilenceListCommand, SilenceExpireCommand,
  ],
})
export class CliModule {}
