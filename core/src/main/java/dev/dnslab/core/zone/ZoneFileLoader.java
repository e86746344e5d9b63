package dev.dnslab.core.zone;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads an RFC 1035 master file with dnsjava's {@link Master} and checks that it is a zone a server
 * may serve. Every problem is reported once, as {@code file:line: reason}:
 *
 * <ul>
 *   <li>syntax errors, with dnsjava's own line number;
 *   <li>records outside the zone or of a class other than IN;
 *   <li>no SOA, or more than one, or one below the apex (RFC 1035 5.2);
 *   <li>no NS at the apex;
 *   <li>a CNAME beside other data, or two CNAMEs at one name (RFC 1034 3.6.2, RFC 2181 10.1);
 *   <li>records of one RRset with different TTLs (RFC 2181 5.2), an RRSIG counting with the RRset it
 *       covers (RFC 4034 3);
 *   <li>two DNAMEs at one name, or records below a DNAME's owner (RFC 6672 2.4);
 *   <li>a name server inside the zone or below a cut without an address record (missing glue).
 * </ul>
 *
 * {@code $INCLUDE} is refused: a lab zone is one self-contained file, and a zone file must never be
 * a way to read other files on the server.
 */
public final class ZoneFileLoader {
  /** The file name that holds the root zone, whose origin "." cannot be a file name. */
  public static final String ROOT_ZONE_FILE = "root.zone";

  public static final String ZONE_FILE_SUFFIX = ".zone";

  /** dnsjava renders parse errors as "{filename}:{line}: {reason}"; streams have no filename. */
  private static final Pattern DNSJAVA_ERROR = Pattern.compile("^.*?:(\\d+): (.*)$", Pattern.DOTALL);

  private final UnaryOperator<Record> rewrite;

  /** A loader that serves records exactly as written. */
  public ZoneFileLoader() {
    this(UnaryOperator.identity());
  }

  /**
   * A loader that passes each record through {@code rewrite} after checking it, e.g. to move the
   * lab's addresses to another network (one address plan, two deployments).
   */
  public ZoneFileLoader(UnaryOperator<Record> rewrite) {
    this.rewrite = requireNonNull(rewrite, "rewrite");
  }

  /** The zone origin a file name stands for: {@code com.zone} is {@code com.}, root.zone is ".". */
  public static Name originOf(Path file) throws ZoneLoadException {
    String fileName = file.getFileName().toString();
    if (!fileName.endsWith(ZONE_FILE_SUFFIX)) {
      throw new ZoneLoadException(file, 0, "zone file names end in " + ZONE_FILE_SUFFIX);
    }
    if (fileName.equals(ROOT_ZONE_FILE)) {
      return Name.root;
    }
    String origin = fileName.substring(0, fileName.length() - ZONE_FILE_SUFFIX.length());
    try {
      return Name.fromString(origin, Name.root);
    } catch (TextParseException e) {
      throw new ZoneLoadException(file, 0, "file name is not a domain name: " + e.getMessage());
    }
  }

  /** Loads {@code file} as the zone named by its file name. */
  public Zone load(Path file) throws ZoneLoadException {
    return load(file, originOf(file));
  }

  public Zone load(Path file, Name origin) throws ZoneLoadException {
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ZoneLoadException(file, 0, "cannot read: " + e);
    }
    List<Line<Record>> records = parse(file, origin, text);
    new ZoneChecker(file, origin, records).check();
    List<Record> served = new ArrayList<>(records.size());
    for (Line<Record> line : records) {
      served.add(rewrite.apply(line.value()));
    }
    return new Zone(origin, file, served);
  }

  /** A value and the line of the zone file it came from. */
  record Line<T>(T value, int number) {}

  private static List<Line<Record>> parse(Path file, Name origin, byte[] text)
      throws ZoneLoadException {
    String[] lines = new String(text, StandardCharsets.UTF_8).split("\n", -1);
    LineCountingInputStream counted = new LineCountingInputStream(new ByteArrayInputStream(text));
    List<Line<Record>> records = new ArrayList<>();
    try (Master master = new Master(counted, origin)) {
      master.disableIncludes(true);
      int consumed = 0;
      Record record;
      while ((record = master.nextRecord()) != null) {
        int line = firstRecordLine(lines, consumed);
        records.add(new Line<>(record, line));
        consumed = counted.newlines();
      }
    } catch (TextParseException e) {
      throw fromDnsjava(file, e, lineBeingRead(counted, lines));
    } catch (IOException e) {
      throw new ZoneLoadException(file, lineBeingRead(counted, lines), String.valueOf(e.getMessage()), e);
    } catch (RuntimeException e) {
      // dnsjava signals some semantic problems (e.g. relative names) with unchecked exceptions, and
      // a few inputs make it fail outright (an owner written as "" threw
      // StringIndexOutOfBoundsException, found by ZoneFileLoaderFuzzTest): name the line either way.
      throw new ZoneLoadException(file, lineBeingRead(counted, lines), "cannot parse: " + e, e);
    }
    return records;
  }

  /** The 1-based line dnsjava's tokenizer was reading when it gave up. */
  private static int lineBeingRead(LineCountingInputStream counted, String[] lines) {
    return Math.min(counted.newlines() + 1, lines.length);
  }

  /**
   * The 1-based line on which the record after line {@code consumed} starts: the first line that
   * is neither blank, a comment, nor a {@code $} directive.
   */
  private static int firstRecordLine(String[] lines, int consumed) {
    for (int i = consumed; i < lines.length; i++) {
      String trimmed = lines[i].strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith(";") && !trimmed.startsWith("$")) {
        return i + 1;
      }
    }
    return consumed + 1;
  }

  private static ZoneLoadException fromDnsjava(Path file, TextParseException e, int lineBeingRead) {
    Matcher m = DNSJAVA_ERROR.matcher(String.valueOf(e.getMessage()));
    if (m.matches()) {
      return new ZoneLoadException(file, Integer.parseInt(m.group(1)), m.group(2), e);
    }
    return new ZoneLoadException(file, lineBeingRead, String.valueOf(e.getMessage()), e);
  }

  /** The semantic checks of a parsed zone, one method per rule. */
  private static final class ZoneChecker {
    private final Path file;
    private final Name origin;
    private final List<Line<Record>> records;
    private final Map<Name, Map<Integer, List<Line<Record>>>> byName = new HashMap<>();

    ZoneChecker(Path file, Name origin, List<Line<Record>> records) {
      this.file = file;
      this.origin = origin;
      this.records = records;
    }

    void check() throws ZoneLoadException {
      for (Line<Record> line : records) {
        checkPlacement(line);
        byName
            .computeIfAbsent(line.value().getName(), n -> new HashMap<>())
            .computeIfAbsent(line.value().getType(), t -> new ArrayList<>())
            .add(line);
      }
      checkSoa();
      checkApexNs();
      checkCnames();
      checkDnames();
      checkTtls();
      checkGlue();
    }

    private void checkPlacement(Line<Record> line) throws ZoneLoadException {
      Record record = line.value();
      if (record.getDClass() != DClass.IN) {
        fail(line, "class " + DClass.string(record.getDClass()) + " is not served (expected: IN)");
      }
      if (!record.getName().subdomain(origin)) {
        fail(line, record.getName() + " is outside zone " + origin);
      }
      if (record.getType() == Type.SOA && !record.getName().equals(origin)) {
        fail(line, "SOA record for " + record.getName() + " is not at the zone apex " + origin);
      }
    }

    private void checkSoa() throws ZoneLoadException {
      List<Line<Record>> soa = at(origin, Type.SOA);
      if (soa.isEmpty()) {
        throw new ZoneLoadException(file, 0, "no SOA record at the zone apex " + origin);
      }
      if (soa.size() > 1) {
        fail(soa.get(1), "more than one SOA record (RFC 1035 5.2: exactly one per zone)");
      }
    }

    private void checkApexNs() throws ZoneLoadException {
      if (at(origin, Type.NS).isEmpty()) {
        throw new ZoneLoadException(file, 0, "no NS records at the zone apex " + origin);
      }
    }

    private void checkCnames() throws ZoneLoadException {
      for (Map<Integer, List<Line<Record>>> types : byName.values()) {
        List<Line<Record>> cnames = types.get(Type.CNAME);
        if (cnames == null) {
          continue;
        }
        if (cnames.size() > 1) {
          fail(cnames.get(1), "more than one CNAME at " + cnames.get(0).value().getName()
              + " (RFC 2181 10.1)");
        }
        for (var entry : types.entrySet()) {
          int type = entry.getKey();
          if (type != Type.CNAME && type != Type.RRSIG && type != Type.NSEC) {
            Line<Record> other = entry.getValue().get(0);
            Line<Record> later = other.number() > cnames.get(0).number() ? other : cnames.get(0);
            fail(later, "CNAME and other data at " + other.value().getName() + " (RFC 1034 3.6.2)");
          }
        }
      }
    }

    /**
     * RFC 6672 2.4: a DNAME is a singleton, and it redirects every name below its owner, so data
     * there could never be reached (BIND refuses such a zone too).
     */
    private void checkDnames() throws ZoneLoadException {
      for (Map<Integer, List<Line<Record>>> types : byName.values()) {
        List<Line<Record>> dnames = types.get(Type.DNAME);
        if (dnames != null && dnames.size() > 1) {
          fail(dnames.get(1), "more than one DNAME at " + dnames.get(0).value().getName() + " (RFC 6672 2.4)");
        }
      }
      for (Line<Record> line : records) {
        Name owner = line.value().getName();
        for (Name above = owner; above.labels() > origin.labels(); ) {
          above = new Name(above, 1);
          if (!at(above, Type.DNAME).isEmpty()) {
            fail(line, owner + " is below the DNAME at " + above + " (RFC 6672 2.4: no data below a DNAME)");
          }
        }
      }
    }

    /**
     * RFC 2181 5.2: one TTL per RRset. An RRSIG belongs to the RRset it covers, not to one "RRSIG
     * RRset" per name, and carries that RRset's TTL (RFC 4034 3), so the RRSIGs of a pre-signed zone
     * (what {@code dnslab zones export --signed} writes) are checked against their covered RRset.
     */
    private void checkTtls() throws ZoneLoadException {
      Map<Name, Map<Integer, Line<Record>>> firstOfRRset = new HashMap<>();
      for (Line<Record> line : records) {
        Record record = line.value();
        Line<Record> first = firstOfRRset.computeIfAbsent(record.getName(), n -> new HashMap<>())
            .putIfAbsent(record.getRRsetType(), line);
        if (first != null && first.value().getTTL() != record.getTTL()) {
          fail(line, "TTL " + record.getTTL() + " differs from " + first.value().getTTL()
              + " in the same RRset (RFC 2181 5.2" + (record.getType() == Type.RRSIG
                  || first.value().getType() == Type.RRSIG ? ", RFC 4034 3: an RRSIG has its RRset's TTL)" : ")"));
        }
      }
    }

    /** Name servers inside the zone (at the apex or below a cut) need addresses here. */
    private void checkGlue() throws ZoneLoadException {
      for (Line<Record> line : records) {
        if (line.value().getType() != Type.NS) {
          continue;
        }
        Name target = ((NSRecord) line.value()).getTarget();
        if (!target.subdomain(origin)) {
          continue; // out-of-zone name servers are resolved elsewhere; no glue is owed
        }
        if (!line.value().getName().equals(origin) && !target.subdomain(line.value().getName())) {
          continue; // sibling glue (RFC 9471 2.2) is optional
        }
        if (at(target, Type.A).isEmpty() && at(target, Type.AAAA).isEmpty()) {
          fail(line, target + " has no glue");
        }
      }
    }

    private List<Line<Record>> at(Name name, int type) {
      return byName.getOrDefault(name, Map.of()).getOrDefault(type, List.of());
    }

    private void fail(Line<Record> line, String reason) throws ZoneLoadException {
      throw new ZoneLoadException(file, line.number(), reason);
    }
  }
}
