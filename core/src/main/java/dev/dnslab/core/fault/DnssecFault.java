package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.ZoneKey;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.transport.CallingEventLoop;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A fault that breaks the DNSSEC records of a signed answer (RFC 4035) for the queries its match
 * selects: it lets the zone answer, then changes whole RRsets of the response. Crafted data is
 * signed with dnsjava's {@link DNSSEC#sign} and the lab's own keys (read from the lab's key
 * folder, the one the servers sign with), so a validator sees exactly one thing wrong: the one the
 * fault is about. A query without DO gets no RRSIGs to break and passes through unchanged in
 * substance (RFC 3225 3).
 *
 * <p>What a rewrite needs from the key folder or a key generator ({@link #prepare}) is got on the
 * fault-key thread ({@link FaultKeys}), never on the event loop that answers: the rewrite runs on
 * that loop once it is there, and the loop answers other queries meanwhile.
 */
public abstract class DnssecFault extends FaultHandler {
  private final KeyDirectory keys;
  private final FaultKeys<Name, ZoneKeys> loaded = new FaultKeys<>();

  protected DnssecFault(String name, QueryMatch match, FaultListener listener, KeyDirectory keys) {
    super(name, match, listener);
    this.keys = requireNonNull(keys, "keys");
  }

  @Override
  protected final CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    // The loop that took the query, read here on its thread: the rewrite continues there.
    Executor loop = CallingEventLoop.orElse((Executor) Runnable::run);
    return next.proceed(request).thenCompose(response -> {
      // A key that failed fails in rewrite, where it is used, as it would have without preparing.
      CompletableFuture<?>[] needed = prepare(response).stream()
          .map(key -> key.handle((got, failure) -> null)).toArray(CompletableFuture[]::new);
      CompletableFuture<Void> ready = CompletableFuture.allOf(needed);
      Function<Void, Message> rewritten = keysThere -> {
        rewrite(request, response);
        return response;
      };
      return ready.isDone() ? ready.thenApply(rewritten) : ready.thenApplyAsync(rewritten, loop);
    });
  }

  /**
   * Starts getting what {@link #rewrite} will need for {@code response} that takes the key folder
   * or a key generator: by default the lab's keys of every zone that signed an RRset of it ({@link
   * #keysOf}, which {@link #resign} and {@link #signLike} use). A fault that makes keys of its own
   * adds them, through a {@link FaultKeys}.
   */
  protected List<CompletableFuture<?>> prepare(Message response) {
    List<CompletableFuture<?>> needed = new ArrayList<>();
    for (Name signer : signers(response)) {
      needed.add(startKeysOf(signer));
    }
    return needed;
  }

  /** Starts reading the lab's keys of {@code zone} for {@link #keysOf}, unless this fault has them. */
  protected final CompletableFuture<ZoneKeys> startKeysOf(Name zone) {
    return loaded.start(zone, () -> keys.load(zone).orElseThrow(
        () -> new IllegalStateException("no DNSSEC keys for " + zone + " in " + keys.dir())));
  }

  /**
   * Changes {@code response} in place, on the loop that took the query, once what {@link #prepare}
   * started is there.
   */
  protected abstract void rewrite(DnsRequest request, Message response);

  /**
   * The lab's keys of {@code zone}, read once per fault (they do not change while a lab runs), by
   * {@link #prepare} for every zone that signed something in the response.
   */
  protected final ZoneKeys keysOf(Name zone) {
    return loaded.got(zone);
  }

  /** The zones that signed an RRset of {@code response}: the signer names of its RRSIGs. */
  private static Set<Name> signers(Message response) {
    Set<Name> signers = new LinkedHashSet<>();
    for (int section : RRSET_SECTIONS) {
      for (Record record : response.getSection(section)) {
        if (record instanceof RRSIGRecord sig) {
          signers.add(sig.getSigner());
        }
      }
    }
    return signers;
  }

  /** Where the lab's keys are. */
  protected final KeyDirectory keyDirectory() {
    return keys;
  }

  /**
   * {@code set}'s records signed anew by the keys of the zone that signed it before (its RRSIGs'
   * signer): the key-signing keys for a DNSKEY RRset, the zone-signing keys for any other (RFC
   * 4035 2.1, 2.2). A set that had no signatures stays without.
   */
  protected final RRset resign(RRset set, Instant inception, Instant expiration) {
    if (set.sigs().isEmpty()) {
      return set;
    }
    Name signer = set.sigs().get(0).getSigner();
    ZoneKeys zone = keysOf(signer);
    List<ZoneKey> signers = set.getType() == Type.DNSKEY ? zone.keySigningKeys() : zone.zoneSigningKeys();
    RRset signed = unsigned(set);
    for (ZoneKey key : signers) {
      signed.addRR(sign(signed, key.dnskey(), key.privateKey(), inception, expiration));
    }
    return signed;
  }

  /**
   * {@code crafted} signed by the keys that signed {@code original}, with the same validity window,
   * so only the data differs from what the zone's signer made. Unsigned when the original was.
   */
  protected final RRset signLike(RRset crafted, RRset original) {
    if (original.sigs().isEmpty()) {
      return crafted;
    }
    RRSIGRecord first = original.sigs().get(0);
    RRset withWindow = unsigned(crafted);
    withWindow.addRR(first.withName(crafted.getName()));
    return resign(withWindow, first.getTimeSigned(), first.getExpire());
  }

  /** One RRSIG by dnsjava's signer. */
  protected static RRSIGRecord sign(RRset set, DNSKEYRecord key, PrivateKey privateKey, Instant inception, Instant expiration) {
    try {
      return DNSSEC.sign(set, key, privateKey, inception, expiration);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot sign " + set.getName() + "/" + Type.string(set.getType()) + ": " + e.getMessage(), e);
    }
  }

  /** The records of {@code set} without its signatures. */
  protected static RRset unsigned(RRset set) {
    RRset copy = new RRset();
    set.rrs(false).forEach(copy::addRR);
    return copy;
  }

  /**
   * One section as RRsets, each with its RRSIGs (an RRSIG belongs to the RRset of its owner and
   * covered type, RFC 4034 3), in order of first appearance. The OPT record is not part of any.
   */
  protected static List<RRset> rrsets(Message response, int section) {
    Map<String, RRset> sets = new LinkedHashMap<>();
    for (Record record : response.getSection(section)) {
      if (record.getType() == Type.OPT) {
        continue;
      }
      int type = record instanceof RRSIGRecord sig ? sig.getTypeCovered() : record.getType();
      sets.computeIfAbsent(record.getName() + "/" + type, k -> new RRset()).addRR(record);
    }
    return new ArrayList<>(sets.values());
  }

  /** Replaces one section with {@code sets}, records then signatures per set; OPT stays. */
  protected static void replace(Message response, int section, List<RRset> sets) {
    List<Record> opt = response.getSection(section).stream().filter(r -> r.getType() == Type.OPT).toList();
    response.removeAllRecords(section);
    for (RRset set : sets) {
      set.rrs(false).forEach(r -> response.addRecord(r, section));
      set.sigs().forEach(r -> response.addRecord(r, section));
    }
    opt.forEach(r -> response.addRecord(r, section));
  }

  /** The type of {@code set}'s records, or of what its RRSIGs cover when it has only those. */
  protected static int typeOf(RRset set) {
    return set.rrs(false).isEmpty() ? set.sigs().get(0).getTypeCovered() : set.getType();
  }
}
