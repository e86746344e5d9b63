package dev.dnslab.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a dnslab lab (root, TLD and authoritative name servers on loopback) for a test class or
 * a test method, and injects it as a {@link Lab} parameter.
 *
 * <pre>{@code
 * @DnsLab(scenario = "lame-delegation")
 * class MyResolverTest {
 *   @Test
 *   void givesUpOnALameDelegation(Lab lab) {
 *     MyResolver resolver = new MyResolver(lab.rootHints());
 *     ...
 *     assertThat(lab.journal().queries()).isNotEmpty();
 *   }
 * }
 * }</pre>
 *
 * On a class, one lab serves every test and its journal is cleared before each test; on a method,
 * the method gets its own lab.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DnsLabExtension.class)
public @interface DnsLab {
  /**
   * A scenario: the name of one in the shipped library ({@code "truncate"}), or the path of a
   * scenario file. Empty (the default) serves the plain lab.
   */
  String scenario() default "";

  /**
   * The DNS port every lab server listens on. 0 (the default) picks a free one, fine for clients
   * that take a port; a resolver that follows referrals asks port 53, so test those with 53.
   */
  int port() default 0;

  /**
   * The /24 the lab lives in, e.g. {@code "127.53.0.0/24"} (the zone files' own network), or
   * {@link Lab#ANY_NETWORK} (the default) for a random free /24 in 127.0.0.0/8, so that labs of
   * parallel test runs never collide on port 53.
   */
  String network() default Lab.ANY_NETWORK;

  /**
   * Whether the lab's zones are DNSSEC-signed (the default): {@link Lab#trustAnchor()} then gives
   * the anchor a validating resolver needs.
   */
  boolean dnssec() default true;
}
