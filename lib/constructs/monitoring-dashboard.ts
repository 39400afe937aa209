import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  GraphWidgetView,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AnyChannelModule } from '../../lambdas/adapters/channels/channel-module';
import { SEVERITIES } from '../../lambdas/core/severity';
import { METRICS_NAMESPACE, RUN_METRICS } from '../../lambdas/shared/powertools-run-metrics';
import type { ScheduledCheckFunction } from './scheduled-check-function';

export interface MonitoringDashboardProps {
  /** Each function, by its family. */
  readonly functions: readonly { readonly family: string; readonly construct: ScheduledCheckFunction }[];
  readonly deadLetterQueue: IQueue;
  /** The optional channels the functions deliver to: a graph of each one's delivery problems. */
  readonly channels: readonly AnyChannelModule[];
  /** With `knowers.enabled`: the families that run the knowers check, graphed by logins a leaver knows. */
  readonly knowersFamilies?: readonly string[];
  /** With `accounts`: findings by member account, and the members that could not be read. */
  readonly members?: boolean;
}

const DAY = Duration.days(1);

/**
 * The estate at a glance for the platform team, named after the stack (its URL is a stack output): accounts at risk
 * and findings by severity over time, findings by check, MFA evidence, identity coverage, then the monitor itself:
 * each function's successful scheduled runs, errors and duration, and the dead-letter queue. Every metric is one the
 * functions emit (`RUN_METRICS`) or Lambda's and SQS's own.
 */
export class MonitoringDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: stack.stackName,
      defaultInterval: Duration.days(90),
    });
    const families = props.functions.map((each) => each.family);
    const run = (name: string, family: string, dimensions: Record<string, string> = {}, statistic = 'Maximum') =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: family, ...dimensions },
        statistic,
        period: DAY,
        label: family,
      });
    const search = (name: string, dimensions: readonly string[], label: string) =>
      new MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${['service', ...dimensions].join(',')}} MetricName="${name}"', 'Maximum', 86400)`,
        label,
        period: DAY,
      });
    const graph = (
      title: string,
      metrics: IMetric[],
      extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {},
    ) => new GraphWidget({ title, left: metrics, width: 12, height: 6, ...extra });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${stack.stackName}: shared logins\nFindings that need attention (accepted risks are counted apart), per function and day. The owners hear of them by email and SMS; this is the estate's view.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Accounts at risk, by function',
        families.map((family) => run(RUN_METRICS.accounts.name, family, { status: 'at-risk' })),
      ),
      graph(
        'Findings by severity',
        SEVERITIES.filter((severity) => severity !== 'info').map(
          (severity) =>
            new MathExpression({
              // Ids unique within the graph: one expression per severity, each over every function.
              expression: families.map((_, index) => `${severity}${index}`).join(' + '),
              usingMetrics: Object.fromEntries(
                families.map((family, index) => [
                  `${severity}${index}`,
                  run(RUN_METRICS.findingsBySeverity.name, family, { severity }),
                ]),
              ),
              label: severity,
              period: DAY,
            }),
        ),
        { stacked: true },
      ),
    );
    this.dashboard.addWidgets(
      graph('Findings by check', [
        search(RUN_METRICS.findingsByCheck.name, RUN_METRICS.findingsByCheck.dimensions, 'findings by check'),
      ]),
      graph(
        'Evidence of a second factor (accounts): verified / vault / attested / none',
        [search(RUN_METRICS.accountsByMfaEvidence.name, RUN_METRICS.accountsByMfaEvidence.dimensions, 'accounts')],
        { stacked: true },
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Identity coverage (% of emails checked for breaches)',
        families.map((family) => run(RUN_METRICS.identityCoverage.name, family)),
        { leftYAxis: { min: 0, max: 100 } },
      ),
      graph(
        'Successful scheduled runs (a gap is a missed run)',
        families.map((family) => run(RUN_METRICS.scheduledRunSucceeded.name, family, {}, 'Sum')),
        { view: GraphWidgetView.BAR },
      ),
    );
    if (props.knowersFamilies !== undefined && props.knowersFamilies.length > 0) {
      this.dashboard.addWidgets(
        graph(
          'Logins whose password someone who has left knows',
          props.knowersFamilies.map((family) => run(RUN_METRICS.accountsWithLeaver.name, family)),
        ),
      );
    }
    if (props.members === true) {
      this.dashboard.addWidgets(
        graph('Open findings by member account', [
          search(RUN_METRICS.findingsByMember.name, RUN_METRICS.findingsByMember.dimensions, 'findings'),
        ]),
        graph(
          'Member accounts that could not be read (their logins unchecked)',
          families.map((family) => run(RUN_METRICS.unreadableMembers.name, family)),
        ),
      );
    }
    this.dashboard.addWidgets(
      graph(
        'Errors (failed runs)',
        props.functions.map(({ family, construct }) =>
          construct.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum', label: family }),
        ),
      ),
      graph(
        'Duration (max)',
        props.functions.map(({ family, construct }) =>
          construct.function.metricDuration({ period: Duration.hours(1), statistic: 'Maximum', label: family }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph('Dead-letter queue depth (failed asynchronous runs)', [
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          label: 'messages',
        }),
      ]),
      ...props.channels.map((channel) =>
        graph(channel.problemsMetric.title, [search(channel.problemsMetric.name, ['kind'], 'findings')]),
      ),
    );

    new CfnOutput(stack, 'DashboardUrl', {
      description: "The estate's CloudWatch dashboard",
      value: `https://${stack.region}.console.aws.amazon.com/cloudwatch/home?region=${stack.region}#dashboards:name=${stack.stackName}`,
    });
  }
}
