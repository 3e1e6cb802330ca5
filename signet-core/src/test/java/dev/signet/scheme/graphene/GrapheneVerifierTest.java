package dev.signet.scheme.graphene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.codec.Hex;
import dev.signet.keys.Secp256k1PrivateKey;
import dev.signet.replay.InMemoryReplayStore;
import dev.signet.testing.Fixtures;
import dev.signet.testing.MutableClock;
import dev.signet.verify.AuthRequest;
import dev.signet.verify.Failure;
import dev.signet.verify.Principal;
import dev.signet.verify.Scheme;
import dev.signet.verify.VerificationException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrapheneVerifierTest {
  static final String SEED_PAYLOAD = "aliveprotocol:link1:alivedb_login:hive:76092780:0489156ce51562088e21cf7aee70bbdf6832965d:1f281a0d00755756a76e6e88f3f84a8f65494dc8d1a37a7a1734575743a3a1d0374e5a63002a43a03cb1c67c94d4c8535625b4ec39394304f7291adaac2eab0ce9";
  static final long BLOCK = 76092780L;
  static final String BLOCK_ID = "0489156ce51562088e21cf7aee70bbdf6832965d";
  static final GrapheneNetwork HIVE_TST = new GrapheneNetwork("hive", "TST", 20, Duration.ofSeconds(3));

  /** The chain as recorded for the seed's block, with a head a few blocks later. */
  static final class RecordedChain implements ChainView {
    long head = BLOCK + 5;
    final Map<Long, String> blocks = new HashMap<>(Map.of(BLOCK, BLOCK_ID));
    final Map<String, PostingAuthority> accounts = new HashMap<>(Map.of("aliveprotocol",
        new PostingAuthority(1, Map.of("TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R", 1L))));

    @Override
    public long headBlockNumber(String network) {
      return head;
    }

    @Override
    public Optional<String> blockId(String network, long number) {
      return Optional.ofNullable(blocks.get(number));
    }

    @Override
    public Optional<PostingAuthority> postingAuthority(String network, String account) {
      return Optional.ofNullable(accounts.get(account));
    }
  }

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  final RecordedChain chain = new RecordedChain();
  final GrapheneVerifier verifier = new GrapheneVerifier("alivedb_login", List.of(HIVE_TST), chain,
      new InMemoryReplayStore(clock, 1000), clock);

  Failure failure(String payload) {
    try {
      verifier.verify(AuthRequest.unbound(payload));
    } catch (VerificationException e) {
      return e.failure();
    }
    throw new AssertionError("payload was accepted");
  }

  @Test
  void acceptsTheSeedLoginOnce() throws Exception {
    Principal p = verifier.verify(AuthRequest.unbound(SEED_PAYLOAD));
    assertThat(p.scheme()).isEqualTo(Scheme.GRAPHENE);
    assertThat(p.userId()).isEqualTo("aliveprotocol");
    assertThat(p.attributes()).containsEntry("link", "link1").containsEntry("network", "hive")
        .containsEntry("public_key", "TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R");
    assertThat(failure(SEED_PAYLOAD)).isEqualTo(Failure.REPLAYED);
    // The same signature with the uncompressed-flag header (27 + recid) is the same login.
    String reheadered = SEED_PAYLOAD.substring(0, SEED_PAYLOAD.length() - 130) + "1b" + SEED_PAYLOAD.substring(SEED_PAYLOAD.length() - 128);
    assertThat(failure(reheadered)).isEqualTo(Failure.REPLAYED);
  }

  @Test
  void refusesTheHighSTwinOfAValidSignature() {
    String sigHex = SEED_PAYLOAD.substring(SEED_PAYLOAD.length() - 130);
    byte[] sig = Hex.decode(sigHex);
    BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 33, 65));
    byte[] highS = n.subtract(s).toByteArray();
    System.arraycopy(highS, highS.length - 32, sig, 33, 32);
    sig[0] = (byte) (sig[0] ^ 1);
    assertThat(failure(SEED_PAYLOAD.replace(sigHex, Hex.encode(sig)))).isEqualTo(Failure.BAD_SIGNATURE);
  }

  @Test
  void refusesEachChainCheck() {
    assertThat(failure(SEED_PAYLOAD.replace("alivedb_login", "other_login"))).isEqualTo(Failure.AUTH_IDENTIFIER);
    assertThat(failure(SEED_PAYLOAD.replace(":hive:", ":steem:"))).isEqualTo(Failure.NETWORK);
    chain.head = BLOCK - 1;
    assertThat(failure(SEED_PAYLOAD)).isEqualTo(Failure.BLOCK);
    chain.head = BLOCK + 21;
    assertThat(failure(SEED_PAYLOAD)).isEqualTo(Failure.BLOCK);
    chain.head = BLOCK + 20;
    chain.blocks.put(BLOCK, "0489156c" + "0".repeat(32));
    assertThat(failure(SEED_PAYLOAD)).isEqualTo(Failure.BLOCK);
    chain.blocks.put(BLOCK, BLOCK_ID);
    chain.accounts.put("aliveprotocol", new PostingAuthority(2, Map.of("TST62HMqabMDZ1BPB1hvLcon758gM2KNFkT3ZuVbtHJ62WcHmem7R", 1L)));
    assertThat(failure(SEED_PAYLOAD)).isEqualTo(Failure.AUTHORITY);
    chain.accounts.clear();
    assertThat(failure(SEED_PAYLOAD)).isEqualTo(Failure.AUTHORITY);
  }

  @Test
  void refusesAlteredAndMalformedPayloads() {
    // A changed link changes the message: the recovered key is someone else's.
    assertThat(failure(SEED_PAYLOAD.replace(":link1:", ":link2:"))).isEqualTo(Failure.AUTHORITY);
    assertThat(failure(SEED_PAYLOAD.replace("76092780", "76092781"))).isEqualTo(Failure.BLOCK);
    assertThat(failure("aliveprotocol:link1")).isEqualTo(Failure.MALFORMED);
    assertThat(failure(SEED_PAYLOAD + ":x")).isEqualTo(Failure.MALFORMED);
    assertThat(failure(SEED_PAYLOAD.replace("aliveprotocol", "Alive"))).isEqualTo(Failure.MALFORMED);
    assertThat(failure(SEED_PAYLOAD.substring(0, SEED_PAYLOAD.length() - 2))).isEqualTo(Failure.MALFORMED);
    assertThat(failure(SEED_PAYLOAD.replace(":1f28", ":ff28"))).isEqualTo(Failure.BAD_SIGNATURE);
  }

  @Test
  void signsCanonicalPayloadsThatVerify() throws Exception {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate(Fixtures.RANDOM);
    String pub = key.publicKey().toGraphene("TST");
    chain.accounts.put("bob.test", new PostingAuthority(1, Map.of(pub, 1L)));
    for (int i = 0; i < 20; i++) {
      GraphenePayload p = new GrapheneSigner(key).sign("bob.test", "stream-" + i, "alivedb_login", "hive", BLOCK, BLOCK_ID);
      byte[] sig = p.signature();
      assertThat(sig[0] & 0xff).isBetween(31, 34);
      assertThat(sig[1] & 0x80).isZero();
      assertThat(sig[33] & 0x80).isZero();
      assertThat(verifier.verify(AuthRequest.unbound(p.encode())).attributes()).containsEntry("public_key", pub);
    }
  }
}
