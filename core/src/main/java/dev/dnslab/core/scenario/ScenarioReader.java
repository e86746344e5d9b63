package dev.dnslab.core.scenario;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.fault.DeferredFault;
import dev.dnslab.core.fault.FaultHandler;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
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
 * errors, so a typo never silently turns a fault off. Which faults exist, their parameters and how
 * each is built are declared in {@link FaultKinds}; this class only walks the YAML.
 */
public final class ScenarioReader {
  private static final Set<String> TOP_KEYS =
      Set.of("name", "description", "correct", "zones", "faults", "checks", "rate-limit");
  private static final Set<String> RATE_LIMIT_KEYS = Set.of("servers", "responses-per-second", "slip", "window", "exempt");
  /** Keys every fault takes; {@code after-queries} defers it (see {@link DeferredFault}). */
  private static final Set<String> MATCH_KEYS = Set.of("fault", "server", "names", "types", "after-queries");
  private static final Set<String> CHECK_KEYS =
      Set.of("query", "expect", "answer", "never", "within", "tcp", "ad", "after", "ede");
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
    Map<LabRole, ResponseRateLimit> rateLimits = top.containsKey("rate-limit") ? rateLimits(top.get("rate-limit")) : Map.of();
    return new Scenario(name, description, correct, file, zones, faults, checks, rateLimits);
  }

  /** The {@code rate-limit:} mapping: settings (NSD's and Knot's RRL) for the servers it names. */
  private Map<LabRole, ResponseRateLimit> rateLimits(Node node) throws ScenarioException {
    Map<String, Node> entry = mapping(node, RATE_LIMIT_KEYS);
    long rate = wholeNumber(entry, "responses-per-second", ResponseRateLimit.DEFAULT_RESPONSES_PER_SECOND);
    long slip = wholeNumber(entry, "slip", ResponseRateLimit.DEFAULT_SLIP);
    Duration window = entry.containsKey("window") ? duration(entry.get("window")) : ResponseRateLimit.DEFAULT_WINDOW;
    List<Cidr> exempt = new ArrayList<>();
    for (String network : strings(entry.get("exempt"))) {
      try {
        exempt.add(Cidr.parse(network));
      } catch (IllegalArgumentException e) {
        throw error(entry.get("exempt"), "exempt: " + e.getMessage());
      }
    }
    ResponseRateLimit settings;
    try {
      settings = new ResponseRateLimit(Math.toIntExact(rate), Math.toIntExact(slip), window, exempt);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(node, "rate-limit: " + e.getMessage());
    }
    Map<LabRole, ResponseRateLimit> limits = new EnumMap<>(LabRole.class);
    if (!entry.containsKey("servers")) {
      for (LabRole role : LabRole.values()) {
        if (role.zoneDirectory() != null) {
          limits.put(role, settings);
        }
      }
    } else {
      for (Node server : listOrOne(entry.get("servers"))) {
        limits.put(role(server), settings);
      }
    }
    return limits;
  }

  private long wholeNumber(Map<String, Node> entry, String key, long otherwise) throws ScenarioException {
    Node node = entry.get(key);
    return node == null ? otherwise : ParameterType.WHOLE_NUMBER.read(new WrittenValue(key, node));
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
    Node named = required(entry, "fault", node);
    String name = scalar(named).toLowerCase(Locale.ROOT);
    FaultKind kind = FaultKinds.named(name).orElseThrow(
        () -> error(named, "unknown fault '" + name + "' (expected: " + FaultKinds.either(FaultKinds.names()) + ")"));
    Set<String> allowed = new HashSet<>(MATCH_KEYS);
    kind.parameters().forEach(parameter -> allowed.add(parameter.name()));
    for (Map.Entry<String, Node> key : entry.entrySet()) {
      if (!allowed.contains(key.getKey())) {
        throw error(key.getValue(), "unknown key '" + key.getKey() + "' for fault " + name + " (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
    QueryMatch match = new QueryMatch(
        entry.containsKey("names") ? names(entry.get("names")) : List.of(),
        entry.containsKey("types") ? types(entry.get("types")) : Set.of());
    FaultKind.Arguments arguments = arguments(kind, entry, named);
    Node deferred = entry.get("after-queries");
    long afterQueries = deferred == null ? 0 : ParameterType.WHOLE_NUMBER.read(new WrittenValue("after-queries", deferred));
    if (deferred != null && afterQueries < 1) {
      throw error(deferred, "after-queries: " + afterQueries + " (expected: >= 1)");
    }
    BiFunction<FaultListener, KeyDirectory, FaultHandler> handler = (listener, keys) -> {
      FaultHandler fault = kind.factory().create(match, arguments, listener, keys);
      // Each server gets its own count: the fault starts after that server answered afterQueries.
      return afterQueries == 0 ? fault : new DeferredFault(fault, afterQueries, listener);
    };
    try {
      handler.apply(FaultListener.NONE, ScenarioFault.NO_KEYS); // check the parameters now, not when the lab starts
    } catch (IllegalArgumentException e) {
      throw error(node, e.getMessage());
    }
    List<ScenarioFault> faults = new ArrayList<>();
    for (Node server : listOrOne(required(entry, "server", node))) {
      faults.add(new ScenarioFault(role(server), line(node), handler));
    }
    return faults;
  }

  /** Reads each declared parameter, in declaration order; a missing one is reported at {@code named}. */
  private FaultKind.Arguments arguments(FaultKind kind, Map<String, Node> entry, Node named) throws ScenarioException {
    Map<FaultParameter<?>, Object> values = new HashMap<>();
    for (FaultParameter<?> parameter : kind.parameters()) {
      Node written = entry.get(parameter.name());
      if (written == null && parameter.isRequired()) {
        throw error(named, "missing '" + parameter.name() + "'");
      }
      WrittenValue value = written != null
          ? new WrittenValue(parameter.name(), written)
          : new WrittenValue(parameter.name(), parameter.defaultText(), named);
      values.put(parameter, parameter.type().read(value));
    }
    return new FaultKind.Arguments(values);
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
    Optional<Boolean> authenticated = entry.containsKey("ad") ? Optional.of(bool(entry.get("ad"))) : Optional.empty();
    Duration after = entry.containsKey("after") ? duration(entry.get("after")) : Duration.ZERO;
    Optional<Integer> ede = Optional.empty();
    if (entry.containsKey("ede")) {
      long code = ParameterType.WHOLE_NUMBER.read(new WrittenValue("ede", entry.get("ede")));
      if (code < 0 || code > 65535) {
        throw error(entry.get("ede"), "ede: " + code + " (expected: 0..65535, an RFC 8914 INFO-CODE)");
      }
      ede = Optional.of((int) code);
    }
    return new ScenarioCheck(name, type, rcodes, answer, never, within, tcp, authenticated, after, ede, line(node));
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

  private Duration duration(Node node) throws ScenarioException {
    Matcher m = DURATION.matcher(scalar(node).trim());
    if (!m.matches()) {
      throw error(node, "'" + scalar(node) + "' is not a duration (expected e.g. 800ms or 5s)");
    }
    long amount = Long.parseLong(m.group(1));
    return m.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
  }

  private boolean bool(Node node) throws ScenarioException {
    String value = scalar(node).toLowerCase(Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw error(node, "'" + scalar(node) + "' is not true or false");
    }
    return value.equals("true");
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
    return ParameterType.DOMAIN_NAME.read(new WrittenValue("name", text, where));
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

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  private ScenarioException error(Node node, String reason) {
    return new ScenarioException(file, node == null ? 0 : line(node), reason);
  }

  /**
   * A parameter value as written at {@code node}, or a text standing in for it (a default, or part
   * of a scalar) reported at that node's line.
   */
  private final class WrittenValue implements ParameterType.Value {
    private final String parameter;
    private final Node node;
    private final String text;

    WrittenValue(String parameter, Node node) {
      this(parameter, null, node);
    }

    WrittenValue(String parameter, String text, Node node) {
      this.parameter = parameter;
      this.text = text;
      this.node = node;
    }

    @Override
    public String parameter() {
      return parameter;
    }

    @Override
    public String text() throws ScenarioException {
      return text != null ? text : scalar(node);
    }

    @Override
    public List<ParameterType.Value> items() {
      if (text != null) {
        return List.of(this);
      }
      List<ParameterType.Value> items = new ArrayList<>();
      for (Node item : listOrOne(node)) {
        items.add(new WrittenValue(parameter, item));
      }
      return items;
    }

    @Override
    public ScenarioException error(String reason) {
      return ScenarioReader.this.error(node, reason);
    }
  }
}
