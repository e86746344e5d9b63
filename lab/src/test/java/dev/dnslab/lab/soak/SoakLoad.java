package dev.dnslab.lab.soak;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.MetricsScrape;
import dev.dnslab.testing.UnboundDaemon;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The soak's clients, run beside {@link SoakLab} in its network namespace: starts Unbound on the
 * lab's root hints, then for {@code SECONDS} keeps four clients asking (Unbound and our recursor,
 * each over UDP and over TCP, {@code RATE} queries a second each) a mix of the lab's names (A,
 * AAAA, MX, TXT of every name in the zones: answers, CNAME chains, NODATA) and made-up ones
 * (NXDOMAIN, and wildcard matches, which miss every cache and so keep the authorities busy). Every
 * answer is checked against the zone data ({@link ZoneAnswers}); every SERVFAIL is matched to the
 * reason the resolver gave: Unbound's EDE (RFC 8914) or its {@code log-servfail} line, our
 * recursor's "SERVFAIL for" line in the lab's log. RSS of both servers and the lab's heap after a
 * full GC are sampled at start, during and at the end. The figures go to {@code RESULT} (a
 * properties file for {@link SoakIT}) and to standard output.
 *
 * <pre>
 *   java -cp CLASSPATH dev.dnslab.lab.soak.SoakLoad SECONDS RATE LAB_PID LAB_LOG ZONES WORK_DIR RESULT
 * </pre>
 */
public final class SoakLoad {
  static final InetSocketAddress RECURSOR = AddressPlan.EMBEDDED.dnsAddress(LabRole.RECURSOR);

  /** The authoritative server's admin port: JVM metrics are bound there (one JVM holds every role). */
  static final InetSocketAddress ADMIN =
      new InetSocketAddress(AddressPlan.EMBEDDED.address(LabRole.AUTHORITATIVE), AddressPlan.DEFAULT_ADMIN_PORT);

  /** How long the lab may take to load, sign its zones and answer through the recursor. */
  private static final Duration LAB_STARTUP = Duration.ofSeconds(90);

  /**
   * Far above both resolvers' own give-up time (ours 4 s, Unbound's about as long), so a missing
   * answer means a resolver dropped the query, not that the client was impatient.
   */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);

  /** Share of made-up names: half NXDOMAIN, half wildcard matches. */
  private static final double MADE_UP_SHARE = 0.3;

  private static final int[] TYPES = {Type.A, Type.AAAA, Type.MX, Type.TXT};
  private static final Name WILDCARD_PARENT = Name.fromConstantString("blog.example.co.kr.");
  private static final Pattern OUR_SERVFAIL = Pattern.compile("SERVFAIL for (\\S+)/(\\S+): (.*)$");
  private static final Pattern UNBOUND_SERVFAIL = Pattern.compile("SERVFAIL <(\\S+) (\\S+) IN>: (.*)$");
  /** The made-up labels, so reasons that quote a name group together. */
  private static final Pattern MADE_UP_LABEL = Pattern.compile("soak-[0-9a-f]+");

  private final ZoneAnswers zones;
  private final List<Name> names;
  private final Tally tally = new Tally();

  private SoakLoad(ZoneAnswers zones) {
    this.zones = zones;
    this.names = zones.names();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      System.err.println("usage: SoakLoad SECONDS RATE LAB_PID LAB_LOG ZONES WORK_DIR RESULT");
      System.exit(2);
    }
    long seconds = Long.parseLong(args[0]);
    int rate = Integer.parseInt(args[1]);
    long labPid = Long.parseLong(args[2]);
    Path labLog = Path.of(args[3]);
    Path workDir = Path.of(args[5]);
    SoakLoad load = new SoakLoad(ZoneAnswers.load(Path.of(args[4])));
    Properties figures = load.run(Duration.ofSeconds(seconds), rate, labPid, labLog, workDir);
    try (Writer out = Files.newBufferedWriter(Path.of(args[6]))) {
      figures.store(out, "dnslab soak figures");
    }
    System.exit(0); // the HTTP client's threads would keep us alive
  }

  private Properties run(Duration duration, int rate, long labPid, Path labLog, Path workDir) throws Exception {
    awaitRecursor(labPid);
    InetSocketAddress unboundAddress = new InetSocketAddress("127.0.0.1", FreePort.find());
    Path hints = UnboundDaemon.writeRootHints(workDir, AddressPlan.EMBEDDED.address(LabRole.ROOT));
    Properties figures = new Properties();
    try (DaemonProcess unbound = UnboundDaemon.start(workDir, unboundAddress, hints, null,
        // RFC 8914 extended errors in the answer, and a log line with the reason of every SERVFAIL.
        List.of("ede: yes", "log-servfail: yes", "val-log-level: 2"))) {
      Runtime.getRuntime().addShutdownHook(new Thread(unbound::close));
      List<Client> clients = List.of(
          new Client("recursor", RECURSOR, false), new Client("recursor", RECURSOR, true),
          new Client("unbound", unboundAddress, false), new Client("unbound", unboundAddress, true));
      warmUp(clients);
      Sample start = Sample.take(labPid, unbound.pid());
      System.out.println("soak start: " + start);
      long deadline = System.nanoTime() + duration.toNanos();
      ExecutorService pool = Executors.newFixedThreadPool(clients.size());
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        Client client = clients.get(i);
        long seed = 20261203L + i;
        running.add(pool.submit(() -> client.ask(rate, deadline, new Random(seed))));
      }
      List<Sample> samples = new ArrayList<>(List.of(start));
      long every = Math.max(TimeUnit.SECONDS.toNanos(15), duration.toNanos() / 10);
      for (long next = System.nanoTime() + every; next - deadline < 0; next += every) {
        LockSupport.parkNanos(next - System.nanoTime());
        samples.add(Sample.take(labPid, unbound.pid()));
        System.out.println("soak sample: " + samples.get(samples.size() - 1));
      }
      for (Future<?> client : running) {
        client.get();
      }
      pool.shutdown();
      Sample end = Sample.take(labPid, unbound.pid());
      samples.add(end);
      System.out.println("soak end: " + end);
      figures.setProperty("lab.alive", String.valueOf(ProcessHandle.of(labPid).map(ProcessHandle::isAlive).orElse(false)));
      figures.setProperty("unbound.alive", String.valueOf(unbound.isAlive()));
      figures.setProperty("start", start.toString());
      figures.setProperty("end", end.toString());
      figures.setProperty("lab.rss.start.kib", String.valueOf(start.labRssKib()));
      figures.setProperty("lab.rss.end.kib", String.valueOf(end.labRssKib()));
      figures.setProperty("lab.heap.start.bytes", String.valueOf(start.labHeapBytes()));
      figures.setProperty("lab.heap.end.bytes", String.valueOf(end.labHeapBytes()));
      figures.setProperty("unbound.rss.start.kib", String.valueOf(start.unboundRssKib()));
      figures.setProperty("unbound.rss.end.kib", String.valueOf(end.unboundRssKib()));
      tally.explainServfails(Files.readAllLines(labLog), unbound.log().lines().toList());
    }
    tally.report(figures);
    figures.stringPropertyNames().stream().sorted()
        .forEach(key -> System.out.println("soak figure " + key + " = " + figures.getProperty(key)));
    return figures;
  }

  /** Polls our recursor until it answers www.google.com (the lab signs its zones at start). */
  private void awaitRecursor(long labPid) throws IOException {
    SimpleResolver resolver = new SimpleResolver(RECURSOR);
    resolver.setTimeout(Duration.ofSeconds(2));
    Name name = Name.fromConstantString("www.google.com.");
    long deadline = System.nanoTime() + LAB_STARTUP.toNanos();
    while (true) {
      try {
        if (resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN))).getRcode() == Rcode.NOERROR) {
          return;
        }
      } catch (IOException notYet) {
        // not bound yet
      }
      if (ProcessHandle.of(labPid).map(process -> !process.isAlive()).orElse(true)) {
        throw new IOException("the lab (PID " + labPid + ") exited before it answered");
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("our recursor did not answer on " + RECURSOR + " within " + LAB_STARTUP);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  /** Asks every name once through each resolver first, so start figures are of a lab at work. */
  private void warmUp(List<Client> clients) {
    for (Client client : clients) {
      for (Name name : names) {
        for (int type : TYPES) {
          try {
            client.resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
          } catch (IOException e) {
            // a warm-up question lost to the loss rules: the soak proper counts, this does not
          }
        }
      }
    }
  }

  /** The next question: a name of the zones, or one made up under them. */
  private Question next(Random random) {
    int type = TYPES[random.nextInt(TYPES.length)];
    if (random.nextDouble() >= MADE_UP_SHARE) {
      return new Question(names.get(random.nextInt(names.size())), type);
    }
    Name label = Name.fromConstantString("soak-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE));
    List<Name> origins = zones.origins();
    Name parent = random.nextBoolean() ? WILDCARD_PARENT : origins.get(random.nextInt(origins.size()));
    try {
      return new Question(Name.concatenate(label, parent), type);
    } catch (org.xbill.DNS.NameTooLongException e) {
      throw new IllegalStateException(e);
    }
  }

  record Question(Name name, int type) {
    String key() {
      return name.toString().toLowerCase(Locale.ROOT) + "/" + Type.string(type);
    }
  }

  /** One client: one resolver, one transport, one question at a time at a steady rate. */
  private final class Client {
    private final String resolverName;
    private final String transport;
    private final SimpleResolver resolver;

    Client(String resolverName, InetSocketAddress address, boolean tcp) {
      this.resolverName = resolverName;
      this.transport = tcp ? "tcp" : "udp";
      this.resolver = new SimpleResolver(address);
      resolver.setTCP(tcp);
      resolver.setTimeout(CLIENT_TIMEOUT);
    }

    void ask(int rate, long deadline, Random random) {
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      for (long due = System.nanoTime(); due - deadline < 0; due += interval) {
        Question question = next(random);
        String who = resolverName + "/" + transport;
        tally.queries.increment();
        try {
          Message response = resolver.send(Message.newQuery(Record.newRecord(question.name(), question.type(), DClass.IN)));
          tally.answers.increment();
          if (response.getRcode() == Rcode.SERVFAIL) {
            tally.servfails.add(new Servfail(resolverName, question, extendedError(response)));
          } else {
            String wrong = zones.mismatch(response, question.name(), question.type());
            if (wrong != null) {
              tally.wrong(who + " " + question.key() + ": " + wrong);
            }
          }
        } catch (IOException e) {
          tally.unanswered(who + " " + question.key() + ": " + e);
        }
        long ahead = due + interval - System.nanoTime();
        if (ahead > 0) {
          LockSupport.parkNanos(ahead);
        }
      }
    }
  }

  /** RFC 8914: "EDE 22 (No Reachable Authority): text", or null without one. */
  private static String extendedError(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return null;
    }
    for (EDNSOption option : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
      if (option instanceof ExtendedErrorCodeOption ede) {
        return "EDE " + ede.getErrorCode() + (ede.getText() == null ? "" : ": " + ede.getText());
      }
    }
    return null;
  }

  record Servfail(String resolver, Question question, String extendedError) {}

  /** What the clients saw, shared by them. */
  static final class Tally {
    /** Examples kept of each kind of failure, for the report. */
    private static final int EXAMPLES = 10;

    final LongAdder queries = new LongAdder();
    final LongAdder answers = new LongAdder();
    final LongAdder wrongAnswers = new LongAdder();
    final LongAdder unansweredQueries = new LongAdder();
    final List<String> wrongExamples = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> unansweredExamples = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Servfail> servfails = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, Long> servfailReasons = new ConcurrentHashMap<>();

    void wrong(String what) {
      wrongAnswers.increment();
      if (wrongExamples.size() < EXAMPLES) {
        wrongExamples.add(what);
      }
    }

    void unanswered(String what) {
      unansweredQueries.increment();
      if (unansweredExamples.size() < EXAMPLES) {
        unansweredExamples.add(what);
      }
    }

    /**
     * Gives every SERVFAIL its reason: the EDE it carried, else the resolver's own log line for the
     * same name and type; "unexplained" when there is neither.
     */
    void explainServfails(List<String> labLog, List<String> unboundLog) {
      Map<String, String> ours = reasons(labLog, OUR_SERVFAIL);
      Map<String, String> unbounds = reasons(unboundLog, UNBOUND_SERVFAIL);
      for (Servfail servfail : servfails) {
        String fromLog = (servfail.resolver().equals("recursor") ? ours : unbounds).get(servfail.question().key());
        String reason = servfail.extendedError() != null ? servfail.extendedError()
            : fromLog != null ? "log: " + fromLog : "unexplained";
        servfailReasons.merge(servfail.resolver() + ": " + MADE_UP_LABEL.matcher(reason).replaceAll("soak-*"), 1L, Long::sum);
      }
    }

    /** The last reason logged for each name/type. */
    private static Map<String, String> reasons(List<String> log, Pattern servfail) {
      Map<String, String> reasons = new HashMap<>();
      for (String line : log) {
        Matcher matcher = servfail.matcher(line);
        if (matcher.find()) {
          String name = matcher.group(1).toLowerCase(Locale.ROOT);
          reasons.put((name.endsWith(".") ? name : name + ".") + "/" + matcher.group(2), matcher.group(3));
        }
      }
      return reasons;
    }

    void report(Properties figures) {
      figures.setProperty("queries", String.valueOf(queries.sum()));
      figures.setProperty("answers", String.valueOf(answers.sum()));
      figures.setProperty("wrong", String.valueOf(wrongAnswers.sum()));
      figures.setProperty("unanswered", String.valueOf(unansweredQueries.sum()));
      figures.setProperty("servfail", String.valueOf(servfails.size()));
      figures.setProperty("servfail.unexplained",
          String.valueOf(servfailReasons.entrySet().stream().filter(e -> e.getKey().endsWith(": unexplained"))
              .mapToLong(Map.Entry::getValue).sum()));
      new TreeMap<>(servfailReasons).forEach((reason, count) -> figures.setProperty("servfail.reason." + reason, String.valueOf(count)));
      for (int i = 0; i < wrongExamples.size(); i++) {
        figures.setProperty("wrong.example." + i, wrongExamples.get(i));
      }
      for (int i = 0; i < unansweredExamples.size(); i++) {
        figures.setProperty("unanswered.example." + i, unansweredExamples.get(i));
      }
    }
  }

  /**
   * Resident memory of the lab JVM and of Unbound (VmRSS of /proc/PID/status), and the lab's heap
   * in use right after a full GC ({@code jcmd PID GC.run}, then {@code jvm_memory_used_bytes}
   * with area="heap" from its /metrics, summed over the memory pools): live data, not garbage
   * waiting for collection.
   */
  record Sample(long labRssKib, long labHeapBytes, long unboundRssKib) {
    static Sample take(long labPid, long unboundPid) throws IOException, InterruptedException {
      return new Sample(rssKib(labPid), heapAfterGc(labPid), rssKib(unboundPid));
    }

    static long rssKib(long pid) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
      throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      Process gc = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
      gc.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
        throw new IOException("jcmd " + pid + " GC.run failed");
      }
      return (long) MetricsScrape.of(ADMIN).sum("jvm_memory_used_bytes", "area=\"heap\"");
    }

    @Override
    public String toString() {
      return String.format("lab RSS %d MiB, lab heap after GC %.1f MiB, Unbound RSS %d MiB",
          labRssKib / 1024, labHeapBytes / 1048576.0, unboundRssKib / 1024);
    }
  }
}
