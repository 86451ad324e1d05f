package lab.clickstream;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a forest to Flink state through the library's own mapper (its supported, versioned state
 * format), with the trees and the execution context saved, so that a restored forest scores the
 * next point exactly as the original would have.
 */
public final class ForestSerializer extends TypeSerializerSingleton<RandomCutForest> {
  private static final long serialVersionUID = 1L;

  static byte[] toBytes(RandomCutForest forest) {
    RandomCutForestMapper mapper = new RandomCutForestMapper();
    mapper.setSaveExecutorContextEnabled(true);
    mapper.setSaveTreeStateEnabled(true);
    RandomCutForestState state = mapper.toState(forest);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize the forest", e);
    }
    return bytes.toByteArray();
  }

  static RandomCutForest fromBytes(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return new RandomCutForestMapper().toModel((RandomCutForestState) in.readObject());
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot restore the forest", e);
    }
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public RandomCutForest createInstance() {
    return null;
  }

  @Override
  public RandomCutForest copy(RandomCutForest from) {
    return from == null ? null : fromBytes(toBytes(from));
  }

  @Override
  public RandomCutForest copy(RandomCutForest from, RandomCutForest reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(RandomCutForest record, DataOutputView target) throws IOException {
    byte[] bytes = toBytes(record);
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @Override
  public RandomCutForest deserialize(DataInputView source) throws IOException {
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    return fromBytes(bytes);
  }

  @Override
  public RandomCutForest deserialize(RandomCutForest reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    int length = source.readInt();
    target.writeInt(length);
    target.write(source, length);
  }

  @Override
  public TypeSerializerSnapshot<RandomCutForest> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Version 1: mapper state, Java-serialized, length-prefixed. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RandomCutForest> {
    public Snapshot() {
      super(ForestSerializer::new);
    }
  }
}
