package dev.dnslab.core.dnssec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a DNSSEC policy file. Every problem is reported as {@code file:line: reason}, and unknown
 * keys are errors, so a typo never silently leaves a zone with the wrong keys.
 *
 * <pre>
 * defaults:                 # for every zone not named below (all keys optional)
 *   algorithm: ECDSAP256SHA256   # RSASHA256 (8), ECDSAP256SHA256 (13) or ED25519 (15)
 *   keys: ksk-zsk                # ksk-zsk or csk
 *   denial: nsec                 # nsec or nsec3 (RFC 9276 parameters: no iterations, no salt)
 * zones:
 *   ".":  { algorithm: RSASHA256 }
 *   com:  { denial: nsec3, opt-out: true }
 *   nheos.com: { signed: false }
 * </pre>
 *
 * A zone entry starts from the defaults and changes what it names.
 */
public final class DnssecPolicyReader {
  private static final Set<String> TOP_KEYS = Set.of("defaults", "zones");
  private static final Set<String> SIGNING_KEYS = Set.of("algorithm", "keys", "denial", "opt-out");
  private static final Set<String> ZONE_KEYS = Set.of("signed", "algorithm", "keys", "denial", "opt-out");

  private final Path file;

  private DnssecPolicyReader(Path file) {
    this.file = file;
  }

  public static DnssecPolicy read(Path file) throws DnssecPolicyException {
    return new DnssecPolicyReader(file).read();
  }

  private DnssecPolicy read() throws DnssecPolicyException {
    Node root;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      // What Yaml.compose does, without the Yaml facade: that builds a constructor and a
      // representer (for loading Java objects and dumping) this reader never uses, ~60 classes.
      LoaderOptions options = new LoaderOptions();
      root = new Composer(new ParserImpl(new StreamReader(in), options), new Resolver(), options).getSingleNode();
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new DnssecPolicyException(file, line, "not YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new DnssecPolicyException(file, 0, "not YAML: " + e.getMessage());
    } catch (IOException e) {
      throw new DnssecPolicyException(file, 0, "cannot read: " + e);
    }
    if (root == null) {
      return DnssecPolicy.builtIn();
    }
    Map<String, Node> top = mapping(root, TOP_KEYS);
    ZoneSigning.Signed defaults = DnssecPolicy.BUILT_IN_DEFAULTS;
    if (top.containsKey("defaults")) {
      defaults = signed(mapping(top.get("defaults"), SIGNING_KEYS), defaults, top.get("defaults"));
    }
    Map<Name, ZoneSigning> zones = new LinkedHashMap<>();
    if (top.containsKey("zones")) {
      for (NodeTuple entry : mappingNode(top.get("zones")).getValue()) {
        Name origin = origin(entry.getKeyNode());
        if (zones.put(origin, zone(entry.getValueNode(), defaults)) != null) {
          throw error(entry.getKeyNode(), "zone " + origin + " is named twice");
        }
      }
    }
    return new DnssecPolicy(defaults, zones);
  }

  private ZoneSigning zone(Node node, ZoneSigning.Signed defaults) throws DnssecPolicyException {
    Map<String, Node> entry = mapping(node, ZONE_KEYS);
    if (entry.containsKey("signed") && !bool(entry.get("signed"))) {
      if (entry.size() > 1) {
        throw error(node, "an unsigned zone takes no other keys (found " + new TreeSet<>(entry.keySet()) + ")");
      }
      return new ZoneSigning.Unsigned();
    }
    entry.remove("signed");
    return signed(entry, defaults, node);
  }

  private ZoneSigning.Signed signed(Map<String, Node> entry, ZoneSigning.Signed base, Node owner)
      throws DnssecPolicyException {
    DnssecAlgorithm algorithm = base.algorithm();
    if (entry.containsKey("algorithm")) {
      Node node = entry.get("algorithm");
      algorithm = DnssecAlgorithm.parse(scalar(node)).orElseThrow(() -> error(node,
          "algorithm '" + text(node) + "' is not one the lab signs with (expected: "
              + DnssecAlgorithm.choices() + ")"));
    }
    KeyStyle keys = base.keys();
    if (entry.containsKey("keys")) {
      Node node = entry.get("keys");
      String value = scalar(node).toLowerCase(Locale.ROOT);
      keys = Arrays.stream(KeyStyle.values()).filter(k -> k.policyName().equals(value)).findFirst()
          .orElseThrow(() -> error(node, "keys: " + text(node) + " (expected: ksk-zsk or csk)"));
    }
    Denial denial = base.denial();
    if (entry.containsKey("denial")) {
      Node node = entry.get("denial");
      denial = switch (scalar(node).toLowerCase(Locale.ROOT)) {
        case "nsec" -> new Denial.Nsec();
        case "nsec3" -> new Denial.Nsec3(false);
        default -> throw error(node, "denial: " + text(node) + " (expected: nsec or nsec3)");
      };
    }
    if (entry.containsKey("opt-out")) {
      Node node = entry.get("opt-out");
      if (!(denial instanceof Denial.Nsec3)) {
        throw error(node, "opt-out needs denial: nsec3 (RFC 5155 6; NSEC has no opt-out)");
      }
      denial = new Denial.Nsec3(bool(node));
    }
    return new ZoneSigning.Signed(algorithm, keys, denial);
  }

  private Name origin(Node node) throws DnssecPolicyException {
    String value = scalar(node).trim();
    try {
      return Name.fromString(value, Name.root);
    } catch (TextParseException e) {
      throw error(node, "'" + value + "' is not a zone name: " + e.getMessage());
    }
  }

  private Map<String, Node> mapping(Node node, Set<String> allowed) throws DnssecPolicyException {
    Map<String, Node> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mappingNode(node).getValue()) {
      String key = scalar(tuple.getKeyNode());
      if (!allowed.contains(key)) {
        throw error(tuple.getKeyNode(), "unknown key '" + key + "' (expected one of " + new TreeSet<>(allowed) + ")");
      }
      if (entries.put(key, tuple.getValueNode()) != null) {
        throw error(tuple.getKeyNode(), "duplicate key '" + key + "'");
      }
    }
    return entries;
  }

  private MappingNode mappingNode(Node node) throws DnssecPolicyException {
    if (node instanceof MappingNode mapping) {
      return mapping;
    }
    throw error(node, "expected a mapping (key: value lines)");
  }

  private String scalar(Node node) throws DnssecPolicyException {
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    throw error(node, "expected a single value");
  }

  private boolean bool(Node node) throws DnssecPolicyException {
    return switch (scalar(node).trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw error(node, "'" + text(node) + "' is not true or false");
    };
  }

  private static String text(Node node) {
    return node instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(node);
  }

  private DnssecPolicyException error(Node node, String reason) {
    int line = node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    return new DnssecPolicyException(file, line, reason);
  }
}
