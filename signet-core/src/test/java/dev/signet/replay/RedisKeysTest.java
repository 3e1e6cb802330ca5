package dev.signet.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
  @Test
  void aHashTagDecidesTheSlotAsRedisSays() {
    // CLUSTER KEYSLOT's answers: the tag's slot, an empty tag ignored, the first tag only.
    assertThat(RedisKeys.keySlot("{user1000}.following")).isEqualTo(RedisKeys.slot("user1000"));
    assertThat(RedisKeys.keySlot("foo{}{bar}")).isEqualTo(RedisKeys.slot("foo{}{bar}"));
    assertThat(RedisKeys.keySlot("foo{{bar}}zap")).isEqualTo(RedisKeys.slot("{bar"));
    assertThat(RedisKeys.keySlot("foo{bar}{zap}")).isEqualTo(RedisKeys.slot("bar"));
  }

  @Test
  void slotsAreRedisClusters() {
    // CRC16/XMODEM's check value, and slots Redis itself gives (CLUSTER KEYSLOT).
    assertThat(RedisKeys.crc16("123456789".getBytes())).isEqualTo(0x31C3);
    assertThat(RedisKeys.slot("foo")).isEqualTo(12182);
    assertThat(RedisKeys.slot("bar")).isEqualTo(5061);
    assertThat(RedisKeys.slot("somekey")).isEqualTo(11058);
  }

  @Test
  void standaloneNamesAreUnchanged() {
    RedisKeys keys = RedisKeys.standalone("signet:");
    assertThat(keys.claim("abc")).isEqualTo(new RedisKeys.Claim("signet:epoch", "signet:abc"));
    assertThat(keys.epochs()).containsExactly("signet:epoch");
    assertThat(keys.pinFailures("u1")).isEqualTo("signet:pin:fail:u1");
    assertThat(keys.pinLock("u1")).isEqualTo("signet:pin:lock:u1");
  }

  @Test
  void aClaimsMarkAndEpochShareTheSlotItsIdHashesTo() {
    RedisKeys keys = RedisKeys.cluster("signet:");
    for (String id : List.of("abc", "{x}y", "}{", "", "0f3c2a9e-1d7b-4c55-9e0a-6b1f2d3c4e5f", "ünïcödé")) {
      RedisKeys.Claim claim = keys.claim(id);
      assertThat(RedisKeys.keySlot(claim.mark())).as(id).isEqualTo(RedisKeys.slot(id)).isEqualTo(RedisKeys.keySlot(claim.epoch()));
      assertThat(claim.mark()).startsWith("signet:{").endsWith("}" + id);
    }
  }

  @Test
  void everySlotHasItsOwnEpochKey() {
    List<String> epochs = RedisKeys.cluster("s:").epochs();
    assertThat(epochs).hasSize(RedisKeys.SLOTS);
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < epochs.size(); i++) {
      assertThat(RedisKeys.keySlot(epochs.get(i))).isEqualTo(i);
      slots.add(RedisKeys.keySlot(epochs.get(i)));
    }
    assertThat(slots).hasSize(RedisKeys.SLOTS);
  }

  @Test
  void aPinsCounterAndLockShareASlotWhateverTheUserName() {
    RedisKeys keys = RedisKeys.cluster("signet:");
    for (String user : List.of("alice", "}x", "a{b}c", "{")) {
      assertThat(RedisKeys.keySlot(keys.pinFailures(user))).as(user).isEqualTo(RedisKeys.keySlot(keys.pinLock(user)));
    }
  }

  @Test
  void aPrefixWithABraceIsRefusedOnACluster() {
    assertThatThrownBy(() -> RedisKeys.cluster("signet:{x}:")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one hash slot");
  }
}
