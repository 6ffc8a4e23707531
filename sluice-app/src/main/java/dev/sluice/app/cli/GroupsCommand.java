package dev.sluice.app.cli;

import dev.sluice.broker.Broker;
import dev.sluice.broker.GroupDescription;
import dev.sluice.broker.GroupDescription.PartitionLag;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice groups list|describe}. */
@Command(
        name = "groups",
        description = "List consumer groups and show their committed offsets and lag.",
        mixinStandardHelpOptions = true,
        subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class})
public final class GroupsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "List consumer groups with their total lag.", mixinStandardHelpOptions = true)
    static final class ListGroups implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (Broker b = BrokerOptions.of(spec).open()) {
                List<GroupDescription> groups = new ArrayList<>();
                for (String g : b.admin().listGroups()) {
                    groups.add(b.admin().describeGroup(g));
                }
                if (json) {
                    out.println(Output.json(
                            groups.stream().map(GroupsCommand::toJson).toList()));
                } else if (groups.isEmpty()) {
                    out.println(
                            "No consumer groups yet: a group appears when a member commits (sluice consume TOPIC --group NAME).");
                } else {
                    List<List<String>> rows = new ArrayList<>();
                    rows.add(List.of("GROUP", "MEMBERS", "PARTITIONS", "LAG"));
                    for (GroupDescription g : groups) {
                        rows.add(List.of(
                                g.group(),
                                Integer.toString(g.members().size()),
                                Integer.toString(g.partitions().size()),
                                Output.count(g.totalLag())));
                    }
                    Output.table(out, rows);
                }
            }
            out.flush();
        }
    }

    @Command(
            name = "describe",
            description = "Committed offset, end offset and lag per partition.",
            mixinStandardHelpOptions = true)
    static final class Describe implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            GroupDescription g;
            try (Broker b = BrokerOptions.of(spec).open()) {
                if (!b.admin().listGroups().contains(group)) {
                    throw new UserErrors.UserException("Consumer group '" + group + "' does not exist (it has no"
                            + " committed offsets). Known groups: "
                            + String.join(", ", b.admin().listGroups()));
                }
                g = b.admin().describeGroup(group);
            }
            if (json) {
                out.println(Output.json(toJson(g)));
            } else {
                out.println("Group " + g.group() + ", " + g.members().size() + " live members, total lag "
                        + Output.count(g.totalLag()));
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "OWNER"));
                for (PartitionLag p : g.partitions()) {
                    rows.add(List.of(
                            p.topicPartition().topic(),
                            Integer.toString(p.topicPartition().partition()),
                            p.committed() < 0 ? "-" : Long.toString(p.committed()),
                            Long.toString(p.endOffset()),
                            Output.count(p.lag()),
                            p.owner() == null ? "-" : p.owner()));
                }
                Output.table(out, rows);
            }
            out.flush();
        }
    }

    static Map<String, Object> toJson(GroupDescription g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", g.group());
        m.put("members", g.members());
        m.put("totalLag", g.totalLag());
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (PartitionLag p : g.partitions()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("topic", p.topicPartition().topic());
            pm.put("partition", p.topicPartition().partition());
            pm.put("committed", p.committed());
            pm.put("end", p.endOffset());
            pm.put("lag", p.lag());
            pm.put("owner", p.owner());
            partitions.add(pm);
        }
        m.put("partitions", partitions);
        return m;
    }
}
