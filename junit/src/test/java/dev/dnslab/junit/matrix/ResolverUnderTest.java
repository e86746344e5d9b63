package dev.dnslab.junit.matrix;

import dev.dnslab.junit.Lab;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A recursive resolver pointed at a lab's root only, for the resolver matrix. */
interface ResolverUnderTest extends AutoCloseable {
  /**
   * Where a resolver under test listens, written in the zone files' network: host .153 of the lab's
   * /24, which no lab role uses (.11/.12/.13 authorities, .53 recursor, .80 web, .254 router).
   */
  String RESOLVER_HOST = "127.53.0.153";

  /** The resolver's name in the matrix table, e.g. {@code unbound 1.17.1}. */
  String name();

  /** Starts it with {@code lab}'s root hints; {@code workDir} is empty and its own. */
  void start(Lab lab, Path workDir) throws Exception;

  /** Where it takes client queries. */
  InetSocketAddress address();

  /** Its log so far, for failure messages. */
  String log();

  @Override
  void close();
}
