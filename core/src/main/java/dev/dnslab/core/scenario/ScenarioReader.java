package dev.dnslab.core.scenario;

import dev.dnslab.core.fault.DelayFault;
import dev.dnslab.core.fault.DropFault;
import dev.dnslab.core.fault.FaultHandler;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.OutOfBailiwickFault;
import dev.dnslab.core.fault.OversizedFault;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.fault.RcodeFault;
import dev.dnslab.core.fault.TcpOnlyFault;
import dev.dnslab.core.fault.TruncateFault;
import dev.dnslab.core.fault.TtlZeroFault;
import dev.dnslab.core.fault.WrongIdFault;
import dev.dnslab.core.fault.WrongQuestionFault;
import dev.dnslab.core.lab.LabRole;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a scenario file (YAML, format in {@code scenarios/README.md}). Every problem is reported
 * as {@code file:line: reason}, with the line of the offending key or value, and unknown keys are
 * errors, so a typo never silently turns a fault off.
 */
public final class ScenarioReader {
  private static final Set<String> TOP_KEYS = Set.of("name", "description", "correct", "zones", "faults", "checks");
  private static final Set<String> MATCH_KEYS = Set.of("fault", "server", "names", "types");
  private static final Set<String> CHECK_KEYS = Set.of("query", "expect", "answer", "never", "within", "tcp");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s)");

  private final Path file;

  private ScenarioReader(Path file) {
    this.file = file;
  }

  /** Reads and checks {@code file}; zone files it names are resolved against its folder. */
  public static Scenario read(Path file) throws ScenarioException {
    return new ScenarioReader(file.toAbsolutePath().normalize()).read();
  }

  private Scenario read() throws ScenarioException {
    Node root;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new LoaderOptions()).compose(in);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ScenarioException(file, line, "not YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ScenarioException(file, 0, "not YAML: " + e.getMessage());
    } catch (IOException e) {
      throw new ScenarioException(file, 0, "cannot read: " + e, e);
    }
    if (root == null) {
      throw new ScenarioException(file, 0, "empty scenario (expected: at least a name)");
    }
    Map<String, Node> top = mapping(root, TOP_KEYS);
    String name = scalar(required(top, "name", root));
    String description = top.containsKey("description") ? scalar(top.get("description")) : "";
    String correct = top.containsKey("correct") ? scalar(top.get("correct")) : "";
    Map<LabRole, List<Path>> zones = top.containsKey("zones") ? zones(top.get("zones")) : Map.of();
    List<ScenarioFault> faults = new ArrayList<>();
    if (top.containsKey("faults")) {
      for (Node fault : sequence(top.get("faults"))) {
        faults.addAll(fault(fault));
      }
    }
    List<ScenarioCheck> checks = new ArrayList<>();
    if (top.containsKey("checks")) {
      for (Node check : sequence(top.get("checks"))) {
        checks.add(check(check));
      }
    }
    return new Scenario(name, description, correct, file, zones, faults, checks);
  }

  private Map<LabRole, List<Path>> zones(Node node) throws ScenarioException {
    Map<LabRole, List<Path>> zones = new EnumMap<>(LabRole.class);
    for (NodeTuple entry : mappingNode(node).getValue()) {
      LabRole role = role(entry.getKeyNode());
      List<Path> files = new ArrayList<>();
      for (Node item : listOrOne(entry.getValueNode())) {
        Path zone = file.getParent().resolve(scalar(item)).normalize();
        if (!Files.isRegularFile(zone)) {
          throw error(item, "no such zone file: " + zone);
        }
        if (!zone.getFileName().toString().endsWith(".zone")) {
          throw error(item, "zone file names end in .zone and name the zone: " + zone.getFileName());
        }
        files.add(zone);
      }
      zones.put(role, files);
    }
    return zones;
  }

  private List<ScenarioFault> fault(Node node) throws ScenarioException {
    Map<String, Node> entry = mapping(node, null);
    String kind = scalar(required(entry, "fault", node)).toLowerCase(Locale.ROOT);
    Set<String> allowed = new HashSet<>(MATCH_KEYS);
    allowed.addAll(parameters(kind, entry.get("fault")));
    for (Map.Entry<String, Node> key : entry.entrySet()) {
      if (!allowed.contains(key.getKey())) {
        throw error(key.getValue(), "unknown key '" + key.getKey() + "' for fault " + kind + " (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
    QueryMatch match = new QueryMatch(
        entry.containsKey("names") ? names(entry.get("names")) : List.of(),
        entry.containsKey("types") ? types(entry.get("types")) : Set.of());
    Function<FaultListener, FaultHandler> handler = handler(kind, entry, match);
    try {
      handler.apply(FaultListener.NONE); // check the parameters now, not when the lab starts
    } catch (IllegalArgumentException e) {
      throw error(node, e.getMessage());
    }
    List<ScenarioFault> faults = new ArrayList<>();
    for (Node server : listOrOne(required(entry, "server", node))) {
      faults.add(new ScenarioFault(role(server), line(node), handler));
    }
    return faults;
  }

  private Set<String> parameters(String kind, Node where) throws ScenarioException {
    return switch (kind) {
      case "delay" -> Set.of("ms");
      case "drop" -> Set.of("share", "seed");
      case "rcode" -> Set.of("rcode");
      case "out-of-bailiwick" -> Set.of("records");
      case "wrong-question" -> Set.of("name", "address");
      case "oversized" -> Set.of("records");
      case "tcp-only" -> Set.of("udp");
      case "truncate", "ttl-zero", "wrong-id" -> Set.of();
      default -> throw error(where, "unknown fault '" + kind + "' (expected: delay, drop, truncate, rcode, ttl-zero,"
          + " out-of-bailiwick, wrong-id, wrong-question, oversized or tcp-only)");
    };
  }

  private Function<FaultListener, FaultHandler> handler(String kind, Map<String, Node> p, QueryMatch match)
      throws ScenarioException {
    switch (kind) {
      case "delay": {
        Duration delay = Duration.ofMillis(integer(required(p, "ms", p.get("fault"))));
        return listener -> new DelayFault(match, delay, listener);
      }
      case "drop": {
        double share = p.containsKey("share") ? decimal(p.get("share")) : 1.0;
        long seed = p.containsKey("seed") ? integer(p.get("seed")) : 0;
        return listener -> new DropFault(match, share, seed, listener);
      }
      case "truncate":
        return listener -> new TruncateFault(match, listener);
      case "rcode": {
        Node node = required(p, "rcode", p.get("fault"));
        int rcode = Rcode.value(scalar(node).toUpperCase(Locale.ROOT));
        if (rcode < 0) {
          throw error(node, "unknown rcode '" + scalar(node) + "' (expected e.g. SERVFAIL or REFUSED)");
        }
        return listener -> new RcodeFault(match, rcode, listener);
      }
      case "ttl-zero":
        return listener -> new TtlZeroFault(match, listener);
      case "out-of-bailiwick": {
        List<Record> records = new ArrayList<>();
        for (Node item : listOrOne(required(p, "records", p.get("fault")))) {
          records.add(record(item));
        }
        return listener -> new OutOfBailiwickFault(match, records, listener);
      }
      case "wrong-id":
        return listener -> new WrongIdFault(match, listener);
      case "wrong-question": {
        Name other = p.containsKey("name") ? name(p.get("name")) : name("forged.example.", p.get("fault"));
        InetAddress address = p.containsKey("address") ? address(p.get("address")) : address("192.0.2.66", p.get("fault"));
        return listener -> new WrongQuestionFault(match, other, address, listener);
      }
      case "oversized": {
        int records = p.containsKey("records") ? (int) integer(p.get("records")) : 120;
        return listener -> new OversizedFault(match, records, listener);
      }
      case "tcp-only": {
        TcpOnlyFault.UdpAnswer answer = TcpOnlyFault.UdpAnswer.TRUNCATE;
        if (p.containsKey("udp")) {
          String value = scalar(p.get("udp")).toUpperCase(Locale.ROOT);
          try {
            answer = TcpOnlyFault.UdpAnswer.valueOf(value);
          } catch (IllegalArgumentException e) {
            throw error(p.get("udp"), "udp: " + scalar(p.get("udp")) + " (expected: drop or truncate)");
          }
        }
        TcpOnlyFault.UdpAnswer udp = answer;
        return listener -> new TcpOnlyFault(match, udp, listener);
      }
      default:
        throw error(p.get("fault"), "unknown fault '" + kind + "'");
    }
  }

  private ScenarioCheck check(Node node) throws ScenarioException {
    Map<String, Node> entry = mapping(node, CHECK_KEYS);
    Node query = required(entry, "query", node);
    String[] parts = scalar(query).trim().split("\\s+");
    if (parts.length < 1 || parts.length > 2) {
      throw error(query, "query: '" + scalar(query) + "' (expected: NAME [TYPE], e.g. www.google.com. A)");
    }
    Name name = name(parts[0], query);
    int type = parts.length == 2 ? Type.value(parts[1]) : Type.A;
    if (type < 0) {
      throw error(query, "unknown type '" + parts[1] + "'");
    }
    Set<Integer> rcodes = new HashSet<>();
    for (Node item : listOrOne(required(entry, "expect", node))) {
      String text = scalar(item).toUpperCase(Locale.ROOT);
      boolean timeout = text.equals("TIMEOUT");
      int rcode = timeout ? ScenarioCheck.TIMEOUT : Rcode.value(text);
      if (!timeout && rcode < 0) {
        throw error(item, "unknown outcome '" + scalar(item) + "' (expected an rcode such as NOERROR or SERVFAIL, or TIMEOUT)");
      }
      rcodes.add(rcode);
    }
    List<String> answer = strings(entry.get("answer"));
    List<String> never = strings(entry.get("never"));
    Duration within = entry.containsKey("within") ? duration(entry.get("within")) : ScenarioCheck.DEFAULT_WITHIN;
    Optional<LabRole> tcp = entry.containsKey("tcp") ? Optional.of(role(entry.get("tcp"))) : Optional.empty();
    return new ScenarioCheck(name, type, rcodes, answer, never, within, tcp, line(node));
  }

  // ---- typed access to YAML nodes, each failure with its line ----

  private Map<String, Node> mapping(Node node, Set<String> allowed) throws ScenarioException {
    Map<String, Node> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mappingNode(node).getValue()) {
      String key = scalar(tuple.getKeyNode());
      if (allowed != null && !allowed.contains(key)) {
        throw error(tuple.getKeyNode(), "unknown key '" + key + "' (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
      if (entries.put(key, tuple.getValueNode()) != null) {
        throw error(tuple.getKeyNode(), "duplicate key '" + key + "'");
      }
    }
    return entries;
  }

  private MappingNode mappingNode(Node node) throws ScenarioException {
    if (node instanceof MappingNode mapping) {
      return mapping;
    }
    throw error(node, "expected a mapping (key: value lines)");
  }

  private List<Node> sequence(Node node) throws ScenarioException {
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    throw error(node, "expected a list");
  }

  private static List<Node> listOrOne(Node node) {
    return node instanceof SequenceNode sequence ? sequence.getValue() : List.of(node);
  }

  private Node required(Map<String, Node> entries, String key, Node owner) throws ScenarioException {
    Node node = entries.get(key);
    if (node == null) {
      throw error(owner, "missing '" + key + "'");
    }
    return node;
  }

  private String scalar(Node node) throws ScenarioException {
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    throw error(node, "expected a single value");
  }

  private List<String> strings(Node node) throws ScenarioException {
    List<String> values = new ArrayList<>();
    if (node != null) {
      for (Node item : listOrOne(node)) {
        values.add(scalar(item));
      }
    }
    return values;
  }

  private long integer(Node node) throws ScenarioException {
    try {
      return Long.parseLong(scalar(node).trim());
    } catch (NumberFormatException e) {
      throw error(node, "'" + scalar(node) + "' is not a whole number");
    }
  }

  private double decimal(Node node) throws ScenarioException {
    try {
      return Double.parseDouble(scalar(node).trim());
    } catch (NumberFormatException e) {
      throw error(node, "'" + scalar(node) + "' is not a number");
    }
  }

  private Duration duration(Node node) throws ScenarioException {
    Matcher m = DURATION.matcher(scalar(node).trim());
    if (!m.matches()) {
      throw error(node, "'" + scalar(node) + "' is not a duration (expected e.g. 800ms or 5s)");
    }
    long amount = Long.parseLong(m.group(1));
    return m.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
  }

  private LabRole role(Node node) throws ScenarioException {
    String value = scalar(node);
    try {
      LabRole role = LabRole.fromServiceName(value.toLowerCase(Locale.ROOT));
      if (role.zoneDirectory() != null) {
        return role;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw error(node, "unknown server '" + value + "' (expected: root, tld or authoritative)");
  }

  private List<Name> names(Node node) throws ScenarioException {
    List<Name> names = new ArrayList<>();
    for (Node item : listOrOne(node)) {
      names.add(name(item));
    }
    return names;
  }

  private Name name(Node node) throws ScenarioException {
    return name(scalar(node), node);
  }

  private Name name(String text, Node where) throws ScenarioException {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw error(where, "'" + text + "' is not a domain name: " + e.getMessage());
    }
  }

  private Set<Integer> types(Node node) throws ScenarioException {
    Set<Integer> types = new HashSet<>();
    for (Node item : listOrOne(node)) {
      int type = Type.value(scalar(item).toUpperCase(Locale.ROOT));
      if (type < 0) {
        throw error(item, "unknown type '" + scalar(item) + "'");
      }
      types.add(type);
    }
    return types;
  }

  private InetAddress address(Node node) throws ScenarioException {
    return address(scalar(node), node);
  }

  private InetAddress address(String text, Node where) throws ScenarioException {
    if (!text.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
      throw error(where, "'" + text + "' is not an IP address");
    }
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw error(where, "'" + text + "' is not an IP address");
    }
  }

  private Record record(Node node) throws ScenarioException {
    return parseRecord(scalar(node), node);
  }

  /** One master-file line, e.g. {@code www.naver.com. 86400 IN A 192.0.2.66}. */
  private Record parseRecord(String text, Node where) throws ScenarioException {
    try (org.xbill.DNS.Master master = new org.xbill.DNS.Master(
        new java.io.ByteArrayInputStream((text + "\n").getBytes(StandardCharsets.UTF_8)), Name.root, 3600)) {
      Record record = master.nextRecord();
      if (record == null) {
        throw error(where, "'" + text + "' is not a record");
      }
      return record;
    } catch (IOException e) {
      throw error(where, "'" + text + "' is not a record (expected: NAME [TTL] [IN] TYPE RDATA): " + e.getMessage());
    }
  }

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  private ScenarioException error(Node node, String reason) {
    return new ScenarioException(file, node == null ? 0 : line(node), reason);
  }
}
