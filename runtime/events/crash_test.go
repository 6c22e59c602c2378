package events

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash test runs this test binary again as a child (TestMain switches on
// crashChildEnv), lets it commit a change with its event, and SIGKILLs it: no deferred
// call, no Close, no flush runs. The parent then opens the same store, dispatches, and
// the handler's effect must be there exactly once.
const (
	crashChildEnv  = "CREDO_EVENTS_CRASH_CHILD"
	crashSpecEnv   = "CREDO_EVENTS_CRASH_SPEC"
	crashTenantEnv = "CREDO_EVENTS_CRASH_TENANT"

	// crashBeforeDispatch: the child commits the change and its event, then is killed.
	crashBeforeDispatch = "before-dispatch"
	// crashAfterEffect: the child also delivers the event one handler at a time (effect
	// and marker committed) and is killed before removing it from the outbox.
	crashAfterEffect = "after-effect"
	// crashMidBatch: the child delivers the event in a batch and is killed inside the
	// batch's transaction, after the effect and before the event's removal, neither
	// committed (on engines with transactions; without, as crashAfterEffect).
	crashMidBatch = "mid-batch"
)

func TestCrash(t *testing.T) {
	for _, mode := range []string{crashBeforeDispatch, crashAfterEffect, crashMidBatch} {
		t.Run(mode, func(t *testing.T) {
			spec, tenant := newBackendSpec(t), newTenant(t)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashChildEnv+"="+mode, crashSpecEnv+"="+spec, crashTenantEnv+"="+tenant)
			cmd.Stderr = os.Stderr
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			lines := make(chan string, 4)
			go func() {
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			var evID string
			select {
			case l, ok := <-lines:
				require.True(t, ok, "the child exited without committing")
				var ok2 bool
				evID, ok2 = strings.CutPrefix(l, "committed ")
				require.True(t, ok2, "child said %q", l)
			case <-time.After(60 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the child did not commit in time")
			}
			require.NoError(t, cmd.Process.Kill()) // SIGKILL
			_ = cmd.Wait()

			b := openTestSpec(t, spec)
			sc := scopeOf(t, b, tenant)
			c := newCalls()
			reg := NewRegistry()
			require.NoError(t, reg.Subscribe("record.created", "webhook", effectHandler(c)))
			clock := &testClock{t: time.Now().Add(DefaultLease + 2*DefaultHandlerTimeout)} // past the child's lease
			d := newTestDispatcher(t, b, reg, clock, tenant)
			st, err := d.Poll(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 1, st.Finished)
			assert.Equal(t, int64(1), count(t, sc, "records:loan"), "the change survived")
			assert.Equal(t, map[string]int{evID + "/webhook": 1}, effectCounts(t, sc), "the effect, exactly once")
			if mode == crashAfterEffect || (mode == crashMidBatch && !hasTx(b)) {
				assert.Zero(t, c.total(), "the child's delivery was recorded")
			} else {
				assert.Equal(t, 1, c.total(), "delivered here, once")
			}
			assert.Zero(t, count(t, sc, OutboxCollection))
		})
	}
}

// crashChild is the child's side; it blocks until killed, or reports a failure.
func crashChild(mode string) int {
	ctx := context.Background()
	b, err := openSpec(ctx, os.Getenv(crashSpecEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: open:", err)
		return 2
	}
	sc, err := b.Scope(os.Getenv(crashTenantEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: scope:", err)
		return 2
	}
	ev, err := createRecord(ctx, sc, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: create:", err)
		return 2
	}
	if mode == crashAfterEffect || mode == crashMidBatch {
		reg := NewRegistry()
		if err := reg.Subscribe("record.created", "webhook", HandlerFunc(func(ctx context.Context, d *Delivery) error {
			return writeEffect(ctx, d.Scope, d.Event.ID, d.Handler)
		})); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 2
		}
		d, err := NewDispatcher(DispatcherConfig{Backend: b, Registry: reg, Tenants: fixedTenants(sc.Tenant())})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 2
		}
		d.batched = d.batched && mode == crashMidBatch
		d.beforeFinish = func(Event) error {
			fmt.Printf("committed %s\n", ev.ID)
			select {} // wait for the kill with the event delivered but not removed
		}
		_, err = d.Poll(ctx)
		fmt.Fprintln(os.Stderr, "child: poll returned:", err)
		return 2
	}
	fmt.Printf("committed %s\n", ev.ID)
	select {}
}
