package dev.dnslab.core.scenario;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * The type of a fault parameter: how its value, as written in a scenario, becomes a Java value. A
 * value that does not fit is reported at its own line through {@link Value#error}.
 *
 * @param <T> the Java value
 */
@FunctionalInterface
public interface ParameterType<T> {
  T read(Value value) throws ScenarioException;

  /**
   * A parameter's value where it is written: a YAML scalar or list, or a declared default, which is
   * reported at the fault's line.
   */
  interface Value {
    /** The parameter's name, for messages such as {@code udp: x (expected: drop or truncate)}. */
    String parameter();

    /** The single value; a list is an error. */
    String text() throws ScenarioException;

    /** The items of a list, or this one value. */
    List<Value> items();

    /** {@code file:line: reason} at this value. */
    ScenarioException error(String reason);
  }

  ParameterType<Long> WHOLE_NUMBER = value -> {
    try {
      return Long.parseLong(value.text().trim());
    } catch (NumberFormatException e) {
      throw value.error("'" + value.text() + "' is not a whole number");
    }
  };

  ParameterType<Double> NUMBER = value -> {
    try {
      return Double.parseDouble(value.text().trim());
    } catch (NumberFormatException e) {
      throw value.error("'" + value.text() + "' is not a number");
    }
  };

  /** A header error code by its mnemonic (RFC 1035 4.1.1, RFC 6895 2.3): SERVFAIL, REFUSED, ... */
  ParameterType<Integer> RCODE = value -> {
    int rcode = Rcode.value(value.text().toUpperCase(Locale.ROOT));
    if (rcode < 0) {
      throw value.error("unknown rcode '" + value.text() + "' (expected e.g. SERVFAIL or REFUSED)");
    }
    return rcode;
  };

  /** An absolute domain name; a name without the final dot is taken as absolute. */
  ParameterType<Name> DOMAIN_NAME = value -> {
    String text = value.text();
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw value.error("'" + text + "' is not a domain name: " + e.getMessage());
    }
  };

  /** An IPv4 or IPv6 literal; never a host name, so reading a scenario never queries DNS. */
  ParameterType<InetAddress> IP_ADDRESS = value -> {
    String text = value.text();
    if (!text.matches("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")) {
      throw value.error("'" + text + "' is not an IP address");
    }
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw value.error("'" + text + "' is not an IP address");
    }
  };

  /** One master-file line (RFC 1035 5.1), e.g. {@code www.naver.com. 86400 IN A 192.0.2.66}. */
  ParameterType<Record> RECORD = value -> {
    String text = value.text();
    try (Master master = new Master(new ByteArrayInputStream((text + "\n").getBytes(StandardCharsets.UTF_8)), Name.root, 3600)) {
      Record record = master.nextRecord();
      if (record == null) {
        throw value.error("'" + text + "' is not a record");
      }
      return record;
    } catch (IOException e) {
      throw value.error("'" + text + "' is not a record (expected: NAME [TTL] [IN] TYPE RDATA): " + e.getMessage());
    }
  };

  /** A list of {@code element}s; a single value is a list of one. */
  static <E> ParameterType<List<E>> listOf(ParameterType<E> element) {
    return value -> {
      List<E> values = new ArrayList<>();
      for (Value item : value.items()) {
        values.add(element.read(item));
      }
      return List.copyOf(values);
    };
  }

  /** One of an enum's constants, written in any letter case. */
  static <E extends Enum<E>> ParameterType<E> choice(Class<E> type) {
    return value -> {
      String text = value.text();
      try {
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        String[] names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).sorted().toArray(String[]::new);
        throw value.error(value.parameter() + ": " + text + " (expected: " + FaultKinds.either(List.of(names)) + ")");
      }
    };
  }
}
