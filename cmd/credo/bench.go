package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// cmdBench drives a running Credo over HTTP with loan-application creates, the platform's
// hot path (validation, computed fields, field permissions, audit, store), and prints
// throughput and latency percentiles. -rate 0 runs flat out; a rate paces the requests.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	target := fs.String("target", "http://127.0.0.1:8080", "base URL of a running Credo")
	tenant := fs.String("tenant", demoSlug, "tenant to log in to")
	email := fs.String("email", "reviewer@demo.credo", "user that may create loan applications")
	password := fs.String("password", demoPassword, "that user's password")
	duration := fs.Duration("duration", 10*time.Second, "how long to send requests")
	workers := fs.Int("concurrency", 32, "concurrent connections")
	rate := fs.Int("rate", 0, "requests per second in total (0 = as fast as the server answers)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *workers, MaxConnsPerHost: *workers}}
	csrf, err := benchLogin(ctx, client, *target, *tenant, *email, *password)
	if err != nil {
		return err
	}
	url := *target + "/api/v1/t/" + *tenant + "/forms/loan_application/records"

	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	// Paced runs follow a fixed schedule (request i is due at start + i/rate) and time each
	// request from when it was due, so a slow server cannot hide its queueing delay by
	// slowing the load down (coordinated omission).
	var interval time.Duration
	if *rate > 0 {
		interval = time.Second / time.Duration(*rate)
	}
	var next atomic.Int64
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  atomic.Int64
		seq       atomic.Int64
		firstErr  atomic.Value
		wg        sync.WaitGroup
	)
	start := time.Now()
	for w := range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			defer func() { mu.Lock(); latencies = append(latencies, mine...); mu.Unlock() }()
			for {
				due := time.Now()
				if interval > 0 {
					due = start.Add(time.Duration(next.Add(1)-1) * interval)
					if !sleepUntil(ctx, due) {
						return
					}
				} else if ctx.Err() != nil {
					return
				}
				body, _ := json.Marshal(sampleApplication(r, int(seq.Add(1))))
				err := benchCreate(ctx, client, url, csrf, body)
				if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
					return
				}
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mine = append(mine, time.Since(due))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))]
	}
	_, _ = fmt.Fprintf(stdout, "creates: %d ok, %d failed in %s with %d connections (rate %s)\n",
		len(latencies), failures.Load(), elapsed.Round(time.Millisecond), *workers, rateLabel(*rate))
	_, _ = fmt.Fprintf(stdout, "throughput: %.0f creates/s\n", float64(len(latencies))/elapsed.Seconds())
	_, _ = fmt.Fprintf(stdout, "latency: p50 %s  p90 %s  p99 %s  max %s\n",
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond))
	if e := firstErr.Load(); e != nil {
		_, _ = fmt.Fprintf(stdout, "first failure: %s\n", e)
	}
	return nil
}

// sleepUntil waits for t; false when ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func rateLabel(r int) string {
	if r == 0 {
		return "unbounded"
	}
	return fmt.Sprintf("%d/s", r)
}

func benchLogin(ctx context.Context, c *http.Client, target, tenant, email, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"tenant": tenant, "email": email, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("log in to %s: %w", target, err)
	}
	defer func() { _ = res.Body.Close() }()
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&out) != nil {
		return "", fmt.Errorf("log in to %s as %s: HTTP %d", target, email, res.StatusCode)
	}
	return out.CSRF, nil
}

func benchCreate(ctx context.Context, c *http.Client, url, csrf string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = res.Body.Close() }()
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return nil
}
